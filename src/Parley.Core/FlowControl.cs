namespace Parley.Core;

/// <summary>
/// Back-pressure from receivers to senders. When a session's send queue rises above the high-water
/// mark it is "congested", and while any congested session is still draining, transports pause
/// reading input (<see cref="WaitAsync"/>) so fast senders are slowed by TCP instead of readers
/// being dropped. A congested session that makes no progress for the stall grace is "stalled": it
/// stops holding everyone back and is disconnected when it reaches the hard bound. So a slow reader
/// costs nobody a message, and a stuck one costs the others at most the grace period.
/// </summary>
public sealed class FlowControl
{
    private readonly Lock _gate = new();
    private readonly HashSet<Session> _congested = [];
    private readonly TimeProvider _time;
    private readonly TimeSpan _stallGrace;
    private TaskCompletionSource? _resume;
    private ITimer? _timer;
    private volatile bool _paused;
    private bool _storeBehind;

    public FlowControl(TimeProvider time, TimeSpan stallGrace)
    {
        _time = time;
        _stallGrace = stallGrace;
    }

    /// <summary>True while input should not be processed. Cheap enough to check per line.</summary>
    public bool IsPaused => _paused;

    /// <summary>Congested sessions still holding input back (for operators and tests).</summary>
    public int CongestedCount
    {
        get
        {
            lock (_gate)
            {
                return _congested.Count;
            }
        }
    }

    /// <summary>Completes when input may be processed again.</summary>
    public Task WaitAsync(CancellationToken cancellationToken = default)
    {
        if (!_paused)
        {
            return Task.CompletedTask;
        }

        lock (_gate)
        {
            if (!_paused)
            {
                return Task.CompletedTask;
            }

            _resume ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _resume.Task.WaitAsync(cancellationToken);
        }
    }

    // Every pressure transition happens here, under one lock, so a session can never be left in the
    // congested set after it has drained (that would pause everyone for good).
    internal void Congested(Session session)
    {
        lock (_gate)
        {
            if (session.Pressure != PressureState.Normal || session.QueuedBytes <= session.HighWater || session.IsClosed)
            {
                return;
            }

            session.MarkProgress();
            session.Pressure = PressureState.Congested;
            _congested.Add(session);
            // The stall check runs even when the store's writer paused input first, or a stuck reader would hold everyone for good.
            _paused = true;
            var period = _stallGrace / 4;
            _timer ??= _time.CreateTimer(static state => ((FlowControl)state!).CheckStalls(), this, period, period);
        }
    }

    internal void Relieved(Session session, bool closing)
    {
        lock (_gate)
        {
            if (!closing && session.QueuedBytes >= session.LowWater)
            {
                return;
            }

            // A closing session stays "stalled" so it can never hold input back again.
            session.Pressure = closing ? PressureState.Stalled : PressureState.Normal;
            if (_congested.Remove(session) && _congested.Count == 0)
            {
                ResumeLocked();
            }
        }
    }

    private void CheckStalls()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _congested.RemoveWhere(s =>
            {
                if (!s.IsClosed && _time.GetElapsedTime(s.LastProgress, now) < _stallGrace)
                {
                    return false;
                }

                s.Pressure = PressureState.Stalled;
                return true;
            });
            if (_congested.Count == 0)
            {
                ResumeLocked();
            }
        }
    }

    /// <summary>
    /// The store's writer has too many accepted messages waiting (or has caught up again): input pauses
    /// like for a congested reader, so a fast sender cannot pile up more than the writer can deliver
    /// within the readers' queue bounds.
    /// </summary>
    internal void StoreBehind(bool behind)
    {
        lock (_gate)
        {
            if (_storeBehind == behind)
            {
                return;
            }

            _storeBehind = behind;
            if (behind)
            {
                _paused = true;
            }
            else if (_congested.Count == 0)
            {
                ResumeLocked();
            }
        }
    }

    private void ResumeLocked()
    {
        if (_storeBehind)
        {
            // Readers have drained, but the writer has not: stay paused until it says so.
            _timer?.Dispose();
            _timer = null;
            return;
        }

        _paused = false;
        _timer?.Dispose();
        _timer = null;
        _resume?.TrySetResult();
        _resume = null;
    }
}
