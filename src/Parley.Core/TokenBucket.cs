namespace Parley.Core;

/// <summary>Flood control: <c>rate</c> tokens per second up to <c>burst</c>, driven by a <see cref="TimeProvider"/>.</summary>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly double _rate;
    private readonly double _burst;
    private double _tokens;
    private long _last;

    public TokenBucket(TimeProvider time, double rate, double burst)
    {
        _time = time;
        _rate = rate;

        // A bucket that cannot hold one whole token never lets anything through (rate < 0.5/s).
        _burst = Math.Max(1, burst);
        _tokens = _burst;
        _last = time.GetTimestamp();
    }

    public bool TryTake()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_last, now).TotalSeconds;
        _last = now;
        _tokens = Math.Min(_burst, _tokens + (elapsed * _rate));
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
