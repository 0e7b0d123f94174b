using System.Collections.Concurrent;

namespace Parley.Server.Transport;

/// <summary>
/// Senders shared by every connection of a listener. Only flushes in progress hold one, so the pool stays
/// about as large as the number of sends that are waiting on a full socket buffer.
/// </summary>
internal sealed class SocketSenderPool : IDisposable
{
    // Above this many idle senders, returned ones are disposed rather than kept.
    private const int MaxPooled = 1024;

    private readonly ConcurrentQueue<SocketSender> _senders = new();
    private int _count;
    private bool _disposed;

    public SocketSender Rent()
    {
        if (_senders.TryDequeue(out var sender))
        {
            Interlocked.Decrement(ref _count);
            return sender;
        }

        return new SocketSender();
    }

    public void Return(SocketSender sender)
    {
        sender.Reset();
        if (Volatile.Read(ref _disposed) || Interlocked.Increment(ref _count) > MaxPooled)
        {
            Interlocked.Decrement(ref _count);
            sender.Dispose();
            return;
        }

        _senders.Enqueue(sender);
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        while (_senders.TryDequeue(out var sender))
        {
            sender.Dispose();
        }
    }
}
