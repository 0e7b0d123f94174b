using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;
using Microsoft.AspNetCore.Connections;
using Parley.Core;

namespace Parley.Server.Transport;

/// <summary>
/// A connection's input read straight from its socket, with no pipe in between. While the connection is
/// idle it holds no buffer: a zero-byte receive waits for data, and a pooled buffer is taken only when
/// there is something to read and given back as soon as the reader has consumed all of it.
/// </summary>
/// <remarks>
/// The received bytes are one array, <c>[_start, _end)</c>, handed to the reader as a single-segment
/// sequence, so the reader's positions are plain indexes into it. A read that the reader stops waiting
/// for (its token or <see cref="CancelPendingRead"/>) leaves the socket receive posted; the next read
/// picks it up. Completions arrive on a thread-pool thread and resume the reader right there.
/// </remarks>
internal sealed class SocketInput : PipeReader, IValueTaskSource<ReadResult>
{
    private const int ReceiveSize = 4096;

    private readonly LeanSocketConnection _connection;
    private readonly int _maxBuffered;
    private readonly Lock _sync = new();
    private SocketReceiver? _receiver;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private int _examined;
    private Receive _receive;
    private bool _holding;
    private bool _eof;
    private Exception? _error;
    private bool _cancelNext;
    private bool _completed;
    private bool _disposed;

    // The reader's wait, used under _sync only; continuations run outside it.
    private SingleWaiter<ReadResult> _waiter;
    private CancellationTokenRegistration _cancellation;

    public SocketInput(LeanSocketConnection connection, int maxBuffered)
    {
        _connection = connection;
        _maxBuffered = maxBuffered;
    }

    private enum Receive
    {
        /// <summary>Nothing posted.</summary>
        None,

        /// <summary>A zero-byte receive is posted: waiting for the socket to become readable.</summary>
        WaitingForData,

        /// <summary>The socket is readable; nothing posted yet.</summary>
        DataAvailable,

        /// <summary>A receive into the buffer is posted; the buffer must not move until it completes.</summary>
        Filling,
    }

    /// <summary>Whether a receive buffer is held (for tests: an idle connection should hold none).</summary>
    internal bool HoldsBuffer
    {
        get
        {
            lock (_sync)
            {
                return _buffer is not null;
            }
        }
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        short version;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            ThrowIfHolding();
            while (true)
            {
                if (TryTakeResult(out var ready))
                {
                    return new ValueTask<ReadResult>(ready);
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (!Advance())
                {
                    break;
                }
            }

            version = _waiter.Begin();
        }

        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((SocketInput)state!).StopWaiting(token), this);
        }

        return new ValueTask<ReadResult>(this, version);
    }

    public override bool TryRead(out ReadResult result)
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            ThrowIfHolding();
            return TryTakeResult(out result);
        }
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        lock (_sync)
        {
            _holding = false;
            if (_buffer is null)
            {
                return;
            }

            var consumedAt = IndexOf(consumed);
            var examinedAt = IndexOf(examined);
            if (consumedAt < _start || consumedAt > _end || examinedAt < consumedAt || examinedAt > _end)
            {
                throw new InvalidOperationException("The positions are not from the last read, or examined is before consumed.");
            }

            _start = consumedAt;
            _examined = examinedAt;
            if (_start == _end)
            {
                ReleaseBufferIfIdle();
            }
        }
    }

    public override void CancelPendingRead()
    {
        Action<object?>? continuation;
        object? state;
        lock (_sync)
        {
            if (!_waiter.IsWaiting)
            {
                _cancelNext = true;
                return;
            }

            continuation = Wake(new ReadResult(Buffered(), isCanceled: true, isCompleted: false), null, out state);
        }

        continuation?.Invoke(state);
    }

    public override void Complete(Exception? exception = null)
    {
        lock (_sync)
        {
            _completed = true;
            _holding = false;
            ReleaseBufferIfIdle();
        }
    }

    /// <summary>Called by the receiver when a posted receive finishes, on a thread-pool thread.</summary>
    public void OnReceiveCompleted()
    {
        Action<object?>? continuation = null;
        object? state = null;
        lock (_sync)
        {
            Finish();
            ReadResult result = default;
            Exception? error = null;
            while (_waiter.IsWaiting && !TryPeekResult(out result, out error) && Advance())
            {
            }

            if (_waiter.IsWaiting && TryPeekResult(out result, out error))
            {
                continuation = Wake(result, error, out state);
            }
        }

        continuation?.Invoke(state);
    }

    /// <summary>Called once the socket is closed: gives back the buffer and the receiver once nothing is posted.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            _disposed = true;
            _completed = true;
            _holding = false;
            ReleaseIfDisposed();
        }
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token)
    {
        _cancellation.Dispose();
        _cancellation = default;
        lock (_sync)
        {
            return _waiter.GetResult(token);
        }
    }

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token)
    {
        lock (_sync)
        {
            return _waiter.GetStatus(token);
        }
    }

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        lock (_sync)
        {
            if (_waiter.TryRegister(continuation, state))
            {
                return;
            }
        }

        // Completed between the check and the registration: resume the reader, but not on this stack.
        ThreadPool.UnsafeQueueUserWorkItem(continuation, state, preferLocal: true);
    }

    // Ends the reader's wait (under _sync); the caller invokes the returned continuation after leaving it.
    private Action<object?>? Wake(in ReadResult result, Exception? error, out object? state)
    {
        state = null;
        if (!_waiter.Complete(result, error, out var registered))
        {
            return null;
        }

        _holding = error is null;
        return registered ? _waiter.TakeContinuation(out state) : null;
    }

    private void StopWaiting(CancellationToken token)
    {
        Action<object?>? continuation;
        object? state;
        lock (_sync)
        {
            if (!_waiter.IsWaiting)
            {
                return;
            }

            continuation = Wake(default, new OperationCanceledException(token), out state);
        }

        continuation?.Invoke(state);
    }

    private void ReleaseIfDisposed()
    {
        ReleaseBufferIfIdle();
        if (_disposed && _receive is Receive.None or Receive.DataAvailable && _receiver is not null)
        {
            _receiver.Dispose();
            _receiver = null;
        }
    }

    // As a Pipe does: the previous result must be given back (AdvanceTo) before the next read, canceled ones included.
    private void ThrowIfHolding()
    {
        if (_holding)
        {
            throw new InvalidOperationException("The previous read's result must be advanced (AdvanceTo) before reading again.");
        }
    }

    private ReadOnlySequence<byte> Buffered() =>
        _buffer is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(_buffer, _start, _end - _start);

    private int IndexOf(SequencePosition position)
    {
        var owner = position.GetObject();
        if (owner is null)
        {
            // The empty sequence of a read that had nothing buffered.
            return _start;
        }

        if (!ReferenceEquals(owner, _buffer))
        {
            throw new InvalidOperationException("The position is not from the last read.");
        }

        return position.GetInteger();
    }

    // A result the reader may have now, if any; errors are thrown to it.
    private bool TryTakeResult(out ReadResult result)
    {
        if (!TryPeekResult(out result, out var error))
        {
            return false;
        }

        if (error is not null)
        {
            throw error;
        }

        _holding = true;
        return true;
    }

    private bool TryPeekResult(out ReadResult result, out Exception? error)
    {
        error = null;
        if (_cancelNext)
        {
            _cancelNext = false;
            result = new ReadResult(Buffered(), isCanceled: true, isCompleted: false);
            return true;
        }

        if (_end > _examined || _eof)
        {
            result = new ReadResult(Buffered(), isCanceled: false, isCompleted: _eof);
            return true;
        }

        result = default;
        if (_error is null)
        {
            return false;
        }

        error = _error;
        return true;
    }

    // Moves the receive one step on; false when the next step is the socket's (something is posted).
    private bool Advance()
    {
        switch (_receive)
        {
            case Receive.None:
                _receiver ??= new SocketReceiver(this);
                _receiver.SetBuffer(Memory<byte>.Empty);
                _receive = Receive.WaitingForData;
                return Post();
            case Receive.DataAvailable when !_holding:
                if (!MakeRoom())
                {
                    _error = new ConnectionAbortedException($"More than {_maxBuffered} bytes of input were left unread");
                    return true;
                }

                _receiver!.SetBuffer(_buffer, _end, _buffer!.Length - _end);
                _receive = Receive.Filling;
                return Post();
            default:
                return false;
        }
    }

    // Posts the receive; true when it completed at once (and has been accounted for).
    private bool Post()
    {
        try
        {
            if (_connection.Socket.ReceiveAsync(_receiver!))
            {
                return false;
            }
        }
        catch (ObjectDisposedException)
        {
            _receive = Receive.None;
            _error = _connection.ClosedError(SocketError.OperationAborted);
            return true;
        }

        Finish();
        return true;
    }

    // Accounts for the receive that just completed.
    private void Finish()
    {
        var receiver = _receiver!;
        var filling = _receive == Receive.Filling;
        _receive = Receive.None;
        if (receiver.SocketError != SocketError.Success)
        {
            _error = _connection.ClosedError(receiver.SocketError);
        }
        else if (!filling)
        {
            _receive = Receive.DataAvailable;
        }
        else if (receiver.BytesTransferred == 0)
        {
            // Our own Shutdown makes the socket read as ended before Dispose fails the receive: that is
            // the abort (or the end of writing), not the peer's FIN, so the reader gets its reason, as
            // from Kestrel's transport.
            if (_connection.IsShutDown)
            {
                _error = _connection.ClosedError(SocketError.OperationAborted);
            }
            else
            {
                _eof = true;
            }
        }
        else
        {
            _end += receiver.BytesTransferred;
        }

        if (_completed)
        {
            ReleaseIfDisposed();
        }
    }

    // Room after _end for one receive: take a buffer, slide the unconsumed bytes down, or grow.
    private bool MakeRoom()
    {
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(ReceiveSize);
            _start = _end = _examined = 0;
            return true;
        }

        if (_buffer.Length - _end >= ReceiveSize / 2)
        {
            return true;
        }

        var length = _end - _start;
        if (_buffer.Length - length >= ReceiveSize / 2)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, length);
        }
        else
        {
            if (_buffer.Length >= _maxBuffered)
            {
                return false;
            }

            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _maxBuffered));
            Buffer.BlockCopy(_buffer, _start, larger, 0, length);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        _examined -= _start;
        _end = length;
        _start = 0;
        return true;
    }

    private void ReleaseBufferIfIdle()
    {
        if (_buffer is null || _holding || _receive == Receive.Filling || (!_completed && _start != _end))
        {
            return;
        }

        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
        _start = _end = _examined = 0;
    }
}
