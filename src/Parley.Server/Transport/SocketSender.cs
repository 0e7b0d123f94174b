using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Parley.Server.Transport;

/// <summary>
/// One send in flight, awaitable without allocating. Senders are pooled across connections
/// (<see cref="SocketSenderPool"/>): a connection holds one only while a flush is on the wire, so an
/// idle connection holds none.
/// </summary>
internal sealed class SocketSender() : SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true), IValueTaskSource<SocketError>
{
    // Marks "the operation finished" in _continuation, so a late OnCompleted runs the continuation itself.
    private static readonly Action<object?> Finished = _ => { };

    private readonly List<ArraySegment<byte>> _segments = [];
    private Action<object?>? _continuation;
    private object? _continuationState;

    /// <summary>
    /// Sends every byte of <paramref name="filled"/> (when there is more than one buffer) and then the first
    /// <paramref name="lastLength"/> bytes of <paramref name="last"/>; the result is the socket's error code.
    /// </summary>
    /// <remarks>
    /// The send is tried at once, without blocking (the socket is non-blocking): most flushes fit in the socket's
    /// buffer, and no send operation is posted for them, so a socket whose peer keeps up is never registered with
    /// .NET's socket engine (the readiness loop does its waiting). Only what does not fit waits for room, as an
    /// asynchronous send.
    /// </remarks>
    public ValueTask<SocketError> SendAsync(Socket socket, List<ArraySegment<byte>>? filled, byte[] last, int lastLength)
    {
        var single = filled is null or { Count: 0 };
        if (!single)
        {
            _segments.AddRange(filled!);
            _segments.Add(new ArraySegment<byte>(last, 0, lastLength));
        }

        int sent;
        SocketError error;
        try
        {
            sent = single ? socket.Send(last.AsSpan(0, lastLength), SocketFlags.None, out error) : socket.Send(_segments, SocketFlags.None, out error);
        }
        catch (ObjectDisposedException)
        {
            return new ValueTask<SocketError>(SocketError.OperationAborted);
        }

        if (error is not (SocketError.Success or SocketError.WouldBlock))
        {
            return new ValueTask<SocketError>(error);
        }

        if (single)
        {
            if (sent == lastLength)
            {
                return new ValueTask<SocketError>(SocketError.Success);
            }

            SetBuffer(last, sent, lastLength - sent);
        }
        else
        {
            if (!SkipSent(sent))
            {
                return new ValueTask<SocketError>(SocketError.Success);
            }

            BufferList = _segments;
        }

        _continuation = null;
        try
        {
            // On Linux a stream send completes only when all of it is in the kernel, partial writes included.
            if (socket.SendAsync(this))
            {
                return new ValueTask<SocketError>(this, 0);
            }
        }
        catch (ObjectDisposedException)
        {
            return new ValueTask<SocketError>(SocketError.OperationAborted);
        }

        return new ValueTask<SocketError>(SocketError);
    }

    /// <summary>Drops the buffers so the sender can go back to the pool.</summary>
    public void Reset()
    {
        if (BufferList is not null)
        {
            BufferList = null;
        }
        else
        {
            SetBuffer(null, 0, 0);
        }

        _segments.Clear();
    }

    // Drops the first `sent` bytes from the segments; false when nothing is left to send.
    private bool SkipSent(int sent)
    {
        var whole = 0;
        while (whole < _segments.Count && sent >= _segments[whole].Count)
        {
            sent -= _segments[whole].Count;
            whole++;
        }

        _segments.RemoveRange(0, whole);
        if (_segments.Count == 0)
        {
            return false;
        }

        var first = _segments[0];
        _segments[0] = new ArraySegment<byte>(first.Array!, first.Offset + sent, first.Count - sent);
        return true;
    }

    protected override void OnCompleted(SocketAsyncEventArgs e)
    {
        var continuation = Interlocked.Exchange(ref _continuation, Finished);
        if (continuation is not null && !ReferenceEquals(continuation, Finished))
        {
            // Already on a thread-pool thread (the socket engine dispatched the completion): run the
            // write loop here rather than paying another hop.
            continuation(_continuationState);
        }
    }

    SocketError IValueTaskSource<SocketError>.GetResult(short token)
    {
        _continuation = null;
        _continuationState = null;
        return SocketError;
    }

    ValueTaskSourceStatus IValueTaskSource<SocketError>.GetStatus(short token) =>
        ReferenceEquals(Volatile.Read(ref _continuation), Finished) ? ValueTaskSourceStatus.Succeeded : ValueTaskSourceStatus.Pending;

    void IValueTaskSource<SocketError>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        _continuationState = state;
        if (ReferenceEquals(Interlocked.CompareExchange(ref _continuation, continuation, null), Finished))
        {
            // It finished between the send and the await: run the continuation, but not on this stack.
            ThreadPool.UnsafeQueueUserWorkItem(continuation, state, preferLocal: true);
        }
    }
}
