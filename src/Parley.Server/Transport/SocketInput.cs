using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;
using Microsoft.AspNetCore.Connections;
using Parley.Core;

namespace Parley.Server.Transport;

/// <summary>
/// A connection's input read straight from its socket, with no pipe in between. While the connection is
/// idle it holds no buffer: it waits for the socket to become readable (the shared <see cref="ReadinessLoop"/>,
/// or a posted zero-byte receive where epoll is not available), then takes a pooled buffer, reads what is
/// there without blocking, and gives the buffer back as soon as the reader has consumed all of it.
/// </summary>
/// <remarks>
/// The received bytes are one array, <c>[_start, _end)</c>, handed to the reader as a single-segment
/// sequence, so the reader's positions are plain indexes into it. A read that the reader stops waiting
/// for (its token or <see cref="CancelPendingRead"/>) leaves the wait for readability in place; the next read
/// picks it up. Readiness arrives on a thread-pool thread and resumes the reader right there.
/// </remarks>
internal sealed class SocketInput : PipeReader, IValueTaskSource<ReadResult>, IThreadPoolWorkItem
{
    private const int ReceiveSize = 4096;

    private readonly LeanSocketConnection _connection;
    private readonly int _maxBuffered;
    private readonly Lock _sync = new();
    private readonly ReadinessLoop? _readiness;
    private long _readinessKey = -1;
    private bool _inEpollSet;
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

    /// <param name="readiness">The loop that says when the socket is readable; null: a posted zero-byte receive does.</param>
    public SocketInput(LeanSocketConnection connection, int maxBuffered, ReadinessLoop? readiness)
    {
        _connection = connection;
        _maxBuffered = maxBuffered;
        _readiness = readiness;
    }

    /// <summary>Whether a zero-byte receive is posted or was (for tests: with the readiness loop, never).</summary>
    internal bool HasReceiver => _receiver is not null;

    /// <summary>This input's key in the readiness loop; -1 before its first wait and after Dispose (for tests).</summary>
    internal long ReadinessKey
    {
        get
        {
            lock (_sync)
            {
                return _readinessKey;
            }
        }
    }

    private enum Receive
    {
        /// <summary>Not waiting, and nothing known about the socket.</summary>
        None,

        /// <summary>Waiting for the socket to become readable (armed in the readiness loop, or a zero-byte receive posted).</summary>
        WaitingForData,

        /// <summary>The socket is readable (or has ended): the next step reads it.</summary>
        DataAvailable,
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

    /// <summary>The socket became readable (or ended, or was closed): called on a thread-pool thread.</summary>
    public void OnReadable()
    {
        Action<object?>? continuation = null;
        object? state = null;
        lock (_sync)
        {
            if (_receive != Receive.WaitingForData)
            {
                // A wake for a wait that is already over (the close wake-up, or a receive that completed first).
                return;
            }

            Finished();
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

    void IThreadPoolWorkItem.Execute() => OnReadable();

    /// <summary>
    /// The socket was just closed: a reader waiting on the readiness loop is told (a posted zero-byte receive
    /// fails by itself). Queued, since whoever closed the socket may hold locks the reader's continuation wants.
    /// </summary>
    public void OnSocketClosed()
    {
        if (_readiness is not null)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Called once the socket is closed: gives back the buffer, the slot and the receiver once nothing is posted.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            _disposed = true;
            _completed = true;
            _holding = false;
            if (_readinessKey >= 0)
            {
                _readiness!.Unregister(_readinessKey);
                _readinessKey = -1;
            }

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
        if (_disposed && _receive != Receive.WaitingForData && _receiver is not null)
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

    // Moves the receive one step on; false when the next step is the socket's (waiting for it to be readable).
    private bool Advance()
    {
        switch (_receive)
        {
            case Receive.None:
                _receive = Receive.WaitingForData;
                return _readiness is not null ? !Arm() : PostZeroByteReceive();
            case Receive.DataAvailable when !_holding:
                if (!MakeRoom())
                {
                    _error = new ConnectionAbortedException($"More than {_maxBuffered} bytes of input were left unread");
                    return true;
                }

                ReceiveNow();
                return true;
            default:
                return false;
        }
    }

    // Asks the readiness loop for one wake-up; false when it cannot wait (closed, or epoll refused it): the read ends.
    private bool Arm()
    {
        if (_readinessKey < 0)
        {
            _readinessKey = _readiness!.Register(this);
        }

        var error = _readiness!.Arm(_readinessKey, _connection.Socket, ref _inEpollSet);
        if (error == SocketError.Success)
        {
            return true;
        }

        _receive = Receive.None;
        _error = _connection.ClosedError(error);
        return false;
    }

    // Where epoll is not available: a zero-byte receive waits for data; true when it completed at once.
    private bool PostZeroByteReceive()
    {
        _receiver ??= new SocketReceiver(this);
        _receiver.SetBuffer(Memory<byte>.Empty);
        try
        {
            if (_connection.Socket.ReceiveAsync(_receiver))
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

        Finished();
        return true;
    }

    // The wait for readability is over: the socket can be read (a failed zero-byte receive ends the input).
    private void Finished()
    {
        _receive = Receive.DataAvailable;
        if (_readiness is null && _receiver!.SocketError != SocketError.Success)
        {
            _receive = Receive.None;
            _error = _connection.ClosedError(_receiver.SocketError);
        }

        if (_completed)
        {
            ReleaseIfDisposed();
        }
    }

    // Reads what the socket has into the buffer, without blocking (the socket is non-blocking).
    private void ReceiveNow()
    {
        _receive = Receive.None;
        int received;
        SocketError error;
        try
        {
            received = _connection.Socket.Receive(_buffer.AsSpan(_end), SocketFlags.None, out error);
        }
        catch (ObjectDisposedException)
        {
            _error = _connection.ClosedError(SocketError.OperationAborted);
            return;
        }

        if (error == SocketError.WouldBlock)
        {
            // Readable a moment ago but not now (another wake got there first): wait again, without a buffer.
            ReleaseBufferIfIdle();
            return;
        }

        if (error != SocketError.Success)
        {
            _error = _connection.ClosedError(error);
        }
        else if (received == 0)
        {
            // Our own Shutdown makes the socket read as ended before it is disposed: that is the abort (or the
            // end of writing), not the peer's FIN, so the reader gets its reason, as from Kestrel's transport.
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
            _end += received;
            if (_end == _buffer!.Length)
            {
                // Filled the buffer: there may be more, so the next step reads again rather than waiting.
                _receive = Receive.DataAvailable;
            }
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
        if (_buffer is null || _holding || (!_completed && _start != _end))
        {
            return;
        }

        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
        _start = _end = _examined = 0;
    }
}
