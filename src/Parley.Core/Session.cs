using System.Diagnostics;
using System.Net;
using System.Threading.Channels;
using Parley.Protocol;

namespace Parley.Core;

/// <summary>
/// One connected client as the hub sees it, whatever its transport. The hub only ever enqueues:
/// the transport's write loop drains <see cref="Outbound"/>. When the bounded queue is full the
/// session is aborted rather than allowed to slow anyone else down.
/// </summary>
public sealed partial class Session
{
    private static long s_nextId;

    private readonly SendQueue _queue;
    // The peer's address: a string, or an EndPoint that RemoteAddress formats each time it is asked for. Idle
    // connections are many and few are ever asked, and their transport holds the EndPoint anyway.
    private readonly object _remote;
    private readonly long _connectedAtUtcTicks;
    // Made only when someone asks for Aborted (a WebSocket session does; an idle TCP session never does).
    private CancellationTokenSource? _aborted;
    private int _abortRequested;
    private readonly long _maxQueuedBytes;
    private long _queuedBytes;
    private long _messagesSent;
    private string? _closeReason;
    private volatile bool _completed;
    private Action<Session, object?>? _onAbort;
    private object? _onAbortState;

    // Flow control: see FlowControl, which alone changes Pressure (under its lock).
    private readonly FlowControl? _flow;
    private readonly TimeProvider _time;
    private long _lastProgress;

    public Session(string transport, string remoteAddress, DateTimeOffset connectedAt, int maxQueuedFrames, long maxQueuedBytes)
        : this(transport, remoteAddress, connectedAt, maxQueuedFrames, maxQueuedBytes, null, TimeProvider.System)
    {
    }

    /// <param name="remote">The peer's address: a string, or an <see cref="EndPoint"/> to format when asked.</param>
    internal Session(string transport, object remote, DateTimeOffset connectedAt, int maxQueuedFrames, long maxQueuedBytes, FlowControl? flow, TimeProvider time, long highWaterBytes = long.MaxValue)
    {
        Debug.Assert(remote is string or EndPoint, "The remote address is a string or an EndPoint.");
        Id = Interlocked.Increment(ref s_nextId);
        Transport = transport;
        _remote = remote;
        _connectedAtUtcTicks = connectedAt.UtcTicks;
        _maxQueuedBytes = maxQueuedBytes;
        _flow = flow;
        _time = time;
        HighWater = highWaterBytes;
        _lastProgress = time.GetTimestamp();
        _queue = new SendQueue(maxQueuedFrames);
    }

    public long Id { get; }

    public string Transport { get; }

    public string RemoteAddress => _remote as string ?? _remote.ToString()!;

    // Kept as ticks, in UTC (as the hub's clock gives it): a DateTimeOffset would cost every session 8 bytes more.
    public DateTimeOffset ConnectedAt => new(_connectedAtUtcTicks, TimeSpan.Zero);

    /// <summary>Set by the transport once it knows (TCP sniffs the first byte; WebSocket is always JSON).</summary>
    public ProtocolKind Protocol { get; set; }

    public string? Username { get; internal set; }

    /// <summary>The web port as this client reaches it (<c>http://host:port</c>), set by the transport; links for it start here.</summary>
    public string? WebOrigin { get; set; }

    public SessionState State { get; internal set; }

    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    /// <summary>True once <see cref="Close"/> or <see cref="Abort"/> was called: input is no longer processed.</summary>
    public bool IsClosed => _completed;

    /// <summary>Why the session ended, once it has.</summary>
    public string? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>Frames waiting for the write loop. Completes when the session is closed gracefully.</summary>
    public ChannelReader<OutboundFrame> Outbound => _queue;

    /// <summary>Cancelled when the session must end now, without draining its queue.</summary>
    public CancellationToken Aborted
    {
        get
        {
            if (IsAborted)
            {
                return new CancellationToken(canceled: true);
            }

            var aborted = Volatile.Read(ref _aborted) ?? Interlocked.CompareExchange(ref _aborted, new CancellationTokenSource(), null) ?? _aborted!;
            if (IsAborted)
            {
                // Aborted while the source was being made: Abort may have missed it.
                _ = aborted.CancelAsync();
            }

            return aborted.Token;
        }
    }

    /// <summary>True once <see cref="Abort"/> was called; <see cref="Aborted"/> without the cost of a token source.</summary>
    public bool IsAborted => Volatile.Read(ref _abortRequested) != 0;

    internal TokenBucket? RateLimiter { get; set; }

    internal long LastRateNotice { get; set; } = long.MinValue;

    internal FloodState? Flood { get; set; }

    internal ITimer? LoginTimer { get; set; }

    // The current room and account: changed only under the hub's lock (the rooms joined: Session.Rooms.cs).
    internal Room? CurrentRoom { get; set; }

    internal Account? Account { get; set; }

    /// <summary>Text mode: the name whose password the next line is.</summary>
    internal string? PasswordFor { get; set; }

    internal bool IsAdmin => Account?.IsAdmin == true;

    /// <summary>Has sent /quit: further input is ignored while the goodbye waits behind its last messages.</summary>
    internal volatile bool Quitting;

    /// <summary>Messages and deferred replies of this session still in the store's writer; while any are, replies queue behind them.</summary>
    internal int InFlight;

    private Task _ready = Task.CompletedTask;

    /// <summary>
    /// Completes when the session may hand the hub its next request. A history or search answer is read off the
    /// store's writer thread, after the request that asked for it has returned; transports await this before each
    /// line so later requests are answered after it (request order), and so one user runs one query at a time.
    /// </summary>
    public Task Ready => Volatile.Read(ref _ready);

    /// <summary>Holds <see cref="Ready"/> back until the returned source completes; also returns what it waited for before.</summary>
    internal (TaskCompletionSource Done, Task Previous) HoldInput()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return (done, Interlocked.Exchange(ref _ready, done.Task));
    }

    /// <summary>Queues a frame. Never blocks; a full queue aborts the session and returns false.</summary>
    public bool Send(OutboundFrame frame)
    {
        var size = frame.GetBytes(Protocol).Length;
        var queued = Interlocked.Add(ref _queuedBytes, size);
        if (queued > HighWater && Pressure == PressureState.Normal)
        {
            _flow?.Congested(this);
        }

        if (queued > _maxQueuedBytes || !_queue.TryWrite(frame))
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

    /// <summary>
    /// Takes up to <c>into.Length</c> queued frames at once, for a write loop that writes them all before its next
    /// flush; report them with <see cref="Dequeued(ReadOnlySpan{OutboundFrame})"/>. One lock per batch instead
    /// of one per frame (the queue's lock was an eighth of the server's CPU in a fan-out).
    /// </summary>
    public int Take(Span<OutboundFrame> into) => _queue.TryReadMany(into);

    /// <summary>Called by the write loop for each frame it takes off the queue.</summary>
    public void Dequeued(OutboundFrame frame) => Released(frame.GetBytes(Protocol).Length);

    /// <summary>Called by the write loop for frames it took with <see cref="Take"/>.</summary>
    public void Dequeued(ReadOnlySpan<OutboundFrame> frames)
    {
        long bytes = 0;
        foreach (var frame in frames)
        {
            bytes += frame.GetBytes(Protocol).Length;
        }

        Released(bytes);
    }

    private void Released(long bytes)
    {
        var queued = Interlocked.Add(ref _queuedBytes, -bytes);
        if (Pressure != PressureState.Normal)
        {
            // Only a congested session's progress is watched (FlowControl's stall check). Reading the clock for
            // every frame of every session cost about a tenth of the server's CPU in a fan-out.
            MarkProgress();
            if (queued < LowWater)
            {
                _flow?.Relieved(this, closing: false);
            }
        }
    }

    /// <summary>The write loop took a frame just now (or the session just became congested: its grace starts here).</summary>
    internal void MarkProgress() => Volatile.Write(ref _lastProgress, _time.GetTimestamp());

    /// <summary>Bytes waiting in the send queue.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    internal long LastProgress => Volatile.Read(ref _lastProgress);

    internal long HighWater { get; }

    internal long LowWater => HighWater / 2;

    // Read without the lock only as a hint; FlowControl re-checks under its lock.
    internal PressureState Pressure { get => (PressureState)Volatile.Read(ref _pressure); set => Volatile.Write(ref _pressure, (int)value); }

    private int _pressure;

    /// <summary>Ends the session after everything already queued has been written.</summary>
    public void Close(string reason)
    {
        Interlocked.CompareExchange(ref _closeReason, reason, null);
        _completed = true;
        _queue.Complete();
    }

    /// <summary>Ends the session now; queued frames are dropped.</summary>
    public void Abort(string reason)
    {
        Interlocked.CompareExchange(ref _closeReason, reason, null);
        _completed = true;

        // Before the queue wakes its reader, so that the write loop sees the abort and writes no more.
        Interlocked.Exchange(ref _abortRequested, 1);
        _queue.Complete();
        ReleasePressure();

        // Abort is called under the hub's lock (a full queue during a broadcast); the transport's
        // reaction (aborting the connection) must not run there, so it runs on the pool.
        if (Volatile.Read(ref _aborted) is { } aborted)
        {
            _ = aborted.CancelAsync();
        }

        if (Volatile.Read(ref _onAbort) is { } onAbort)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static session => session._onAbort!(session, session._onAbortState), this, preferLocal: false);
        }
    }

    /// <summary>
    /// Sets what the transport does when the session is aborted (cut its connection), on a thread-pool thread.
    /// Cheaper than a registration on <see cref="Aborted"/>, which costs four objects per idle connection.
    /// Set once, before the session can be aborted; a session aborted earlier runs it at once.
    /// </summary>
    public void OnAborted(Action<Session, object?> handler, object? state)
    {
        _onAbortState = state;
        Volatile.Write(ref _onAbort, handler);
        if (IsAborted)
        {
            handler(this, state);
        }
    }

    /// <summary>A session that is going away must not hold anyone's input back.</summary>
    internal void ReleasePressure() => _flow?.Relieved(this, closing: true);

    internal void CountMessage() => Interlocked.Increment(ref _messagesSent);

    public SessionInfo ToInfo() => new(Id, Username, RemoteAddress, Transport, ConnectedAt, MessagesSent, State, QueuedBytes) { Protocol = Protocol };

    public override string ToString() => Username is null ? $"#{Id} {RemoteAddress}" : $"{Username} ({RemoteAddress})";
}
