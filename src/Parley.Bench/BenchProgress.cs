namespace Parley.Bench;

/// <summary>
/// A snapshot for the progress display. <see cref="Phase"/> is connect, probe, warmup, send or hold;
/// the counters that do not apply to the phase are zero.
/// </summary>
public readonly record struct BenchProgress(string Phase, long Total, long Registered, long Failed)
{
    public long Sent { get; init; }

    public long Messages { get; init; }

    public long Delivered { get; init; }

    public long Expected { get; init; }

    public long Dropped { get; init; }

    public TimeSpan Elapsed { get; init; }
}
