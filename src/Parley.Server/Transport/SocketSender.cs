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
    public ValueTask<SocketError> SendAsync(Socket socket, List<ArraySegment<byte>>? filled, byte[] last, int lastLength)
    {
        if (filled is null or { Count: 0 })
        {
            SetBuffer(last, 0, lastLength);
        }
        else
        {
            _segments.AddRange(filled);
            _segments.Add(new ArraySegment<byte>(last, 0, lastLength));
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
            _segments.Clear();
        }
        else
        {
            SetBuffer(null, 0, 0);
        }
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
