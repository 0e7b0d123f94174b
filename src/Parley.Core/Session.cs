using System.Threading.Channels;
using Parley.Protocol;

namespace Parley.Core;

/// <summary>
/// One connected client as the hub sees it, whatever its transport. The hub only ever enqueues:
/// the transport's write loop drains <see cref="Outbound"/>. When the bounded queue is full the
/// session is aborted rather than allowed to slow anyone else down.
/// </summary>
public sealed class Session
{
    private static long s_nextId;

    private readonly Channel<OutboundFrame> _queue;
    private readonly CancellationTokenSource _aborted = new();
    private readonly long _maxQueuedBytes;
    private long _queuedBytes;
    private long _messagesSent;
    private string? _closeReason;
    private volatile bool _completed;

    public Session(string transport, string remoteAddress, DateTimeOffset connectedAt, int maxQueuedFrames, long maxQueuedBytes)
    {
        Id = Interlocked.Increment(ref s_nextId);
        Transport = transport;
        RemoteAddress = remoteAddress;
        ConnectedAt = connectedAt;
        _maxQueuedBytes = maxQueuedBytes;
        _queue = Channel.CreateBounded<OutboundFrame>(new BoundedChannelOptions(maxQueuedFrames)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public long Id { get; }

    public string Transport { get; }

    public string RemoteAddress { get; }

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>Set by the transport once it knows (TCP sniffs the first byte; WebSocket is always JSON).</summary>
    public ProtocolKind Protocol { get; set; }

    public string? Username { get; internal set; }

    public SessionState State { get; internal set; }

    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    /// <summary>True once <see cref="Close"/> or <see cref="Abort"/> was called: input is no longer processed.</summary>
    public bool IsClosed => _completed;

    /// <summary>Why the session ended, once it has.</summary>
    public string? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>Frames waiting for the write loop. Completes when the session is closed gracefully.</summary>
    public ChannelReader<OutboundFrame> Outbound => _queue.Reader;

    /// <summary>Cancelled when the session must end now, without draining its queue.</summary>
    public CancellationToken Aborted => _aborted.Token;

    internal TokenBucket? RateLimiter { get; set; }

    internal long LastRateNotice { get; set; } = long.MinValue;

    internal ITimer? LoginTimer { get; set; }

    /// <summary>Queues a frame. Never blocks; a full queue aborts the session and returns false.</summary>
    public bool Send(OutboundFrame frame)
    {
        var size = frame.GetBytes(Protocol).Length;
        if (Interlocked.Add(ref _queuedBytes, size) > _maxQueuedBytes || !_queue.Writer.TryWrite(frame))
        {
            Interlocked.Add(ref _queuedBytes, -size);
            // A closing session refuses frames quietly; only a live one that cannot keep up is cut off.
            if (!_completed)
            {
                Abort("send queue exceeded");
            }

            return false;
        }

        return true;
    }

    /// <summary>Called by the write loop for each frame it takes off the queue.</summary>
    public void Dequeued(OutboundFrame frame) => Interlocked.Add(ref _queuedBytes, -frame.GetBytes(Protocol).Length);

    /// <summary>Ends the session after everything already queued has been written.</summary>
    public void Close(string reason)
    {
        Interlocked.CompareExchange(ref _closeReason, reason, null);
        _completed = true;
        _queue.Writer.TryComplete();
    }

    /// <summary>Ends the session now; queued frames are dropped.</summary>
    public void Abort(string reason)
    {
        Interlocked.CompareExchange(ref _closeReason, reason, null);
        _completed = true;
        _queue.Writer.TryComplete();
        try
        {
            _aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    internal void CountMessage() => Interlocked.Increment(ref _messagesSent);

    public SessionInfo ToInfo() => new(Id, Username, RemoteAddress, Transport, ConnectedAt, MessagesSent, State) { Protocol = Protocol };

    public override string ToString() => Username is null ? $"#{Id} {RemoteAddress}" : $"{Username} ({RemoteAddress})";
}
