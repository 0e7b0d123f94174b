using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Parley.Server.Transport;

/// <summary>
/// A connection's output written straight to its socket: writes fill pooled buffers, and a flush hands
/// them all to one send (a single <c>sendmsg</c> with as many pieces as there are buffers) and gives them
/// back when the kernel has the bytes. Between flushes an idle connection holds no buffer.
/// </summary>
/// <remarks>
/// One writer at a time, as for any <see cref="PipeWriter"/>. A flush that cannot finish because the peer
/// stops reading waits for the socket; cancelling that wait aborts the connection, since the bytes are
/// already the kernel's. A peer that is gone makes the flush report <see cref="FlushResult.IsCompleted"/>.
/// </remarks>
internal sealed class SocketOutput(LeanSocketConnection connection, SocketSenderPool senders) : PipeWriter
{
    private const int BufferSize = 8192;

    private byte[]? _current;
    private int _written;
    private List<ArraySegment<byte>>? _filled;
    private long _filledBytes;
    private volatile bool _sending;
    private bool _completed;
    private bool _closed;
    private bool _cancelNext;

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _filledBytes + _written;

    /// <summary>Whether any write buffer is held (for tests: none between flushes).</summary>
    internal bool HoldsBuffer => _current is not null || _filled is { Count: > 0 };

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _current.AsMemory(_written);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _current.AsSpan(_written);
    }

    public override void Advance(int bytes)
    {
        if (_current is null || bytes < 0 || bytes > _current.Length - _written)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), "Advanced past the memory that was asked for.");
        }

        _written += bytes;
    }

    public override void CancelPendingFlush() => _cancelNext = true;

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_cancelNext)
        {
            _cancelNext = false;
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: true, isCompleted: false));
        }

        if (_closed || UnflushedBytes == 0)
        {
            ReleaseBuffers();
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: _closed));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var sender = senders.Rent();
        _sending = true;
        var sending = sender.SendAsync(connection.Socket, _filled, _current!, _written);
        if (sending.IsCompletedSuccessfully)
        {
            return new ValueTask<FlushResult>(Sent(sender, sending.Result));
        }

        return WaitForSendAsync(sender, sending, cancellationToken);
    }

    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        var completing = CompleteAsync(exception);
        if (!completing.IsCompleted)
        {
            // Complete cannot wait; the last flush finishes, and shuts the socket, on its own.
            _ = completing.AsTask();
        }
    }

    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (exception is null && !_closed && UnflushedBytes > 0)
        {
            try
            {
                await FlushAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Aborted while sending the last bytes: the connection is going anyway.
            }
        }

        ReleaseBuffers();

        // As Kestrel's socket transport does: the application is done writing, so the connection is done.
        connection.Shutdown(null);
    }

    /// <summary>Called once the socket is closed; buffers of a send still in flight go back when it ends.</summary>
    public void Dispose()
    {
        _completed = true;
        _closed = true;
        if (!_sending)
        {
            ReleaseBuffers();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FlushResult> WaitForSendAsync(SocketSender sender, ValueTask<SocketError> sending, CancellationToken cancellationToken)
    {
        SocketError error;
        using (cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static state => ((LeanSocketConnection)state!).Shutdown(null), connection) : default)
        {
            error = await sending.ConfigureAwait(false);
        }

        var result = Sent(sender, error);
        cancellationToken.ThrowIfCancellationRequested();
        return result;
    }

    private FlushResult Sent(SocketSender sender, SocketError error)
    {
        senders.Return(sender);
        _sending = false;
        ReleaseBuffers();
        if (error == SocketError.Success)
        {
            return new FlushResult(isCanceled: false, isCompleted: false);
        }

        // The peer is gone (reset, or we closed the socket): nothing more can be written.
        _closed = true;
        connection.Shutdown(null);
        return new FlushResult(isCanceled: false, isCompleted: true);
    }

    private void Reserve(int sizeHint)
    {
        if (_completed)
        {
            throw new InvalidOperationException("Writing is not allowed after the writer was completed.");
        }

        sizeHint = Math.Max(sizeHint, 1);
        if (_current is null)
        {
            _current = ArrayPool<byte>.Shared.Rent(Math.Max(sizeHint, BufferSize));
            _written = 0;
            return;
        }

        if (_current.Length - _written >= sizeHint)
        {
            return;
        }

        if (_written > 0)
        {
            (_filled ??= []).Add(new ArraySegment<byte>(_current, 0, _written));
            _filledBytes += _written;
        }
        else
        {
            ArrayPool<byte>.Shared.Return(_current);
        }

        _current = ArrayPool<byte>.Shared.Rent(Math.Max(sizeHint, BufferSize));
        _written = 0;
    }

    // Safe to race with itself (a send finishing on the pool while the connection is disposed): each buffer is
    // taken out of its field atomically, so it goes back to the pool once.
    private void ReleaseBuffers()
    {
        if (Interlocked.Exchange(ref _filled, null) is { } filled)
        {
            foreach (var segment in filled)
            {
                ArrayPool<byte>.Shared.Return(segment.Array!);
            }

            _filledBytes = 0;
        }

        if (Interlocked.Exchange(ref _current, null) is { } current)
        {
            ArrayPool<byte>.Shared.Return(current);
            _written = 0;
        }
    }
}
