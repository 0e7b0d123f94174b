using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Parley.Bench;

/// <summary>
/// Log-linear histogram of durations in Stopwatch ticks: exact below 128, then 64 buckets per power of
/// two (at most 1.6 % bucket error). Fixed size, no allocation per value; one per thread, merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Linear = 128;
    private const int SubBuckets = 64;
    private const int Octaves = 57; // up to 2^63

    private readonly long[] _counts = new long[Linear + (Octaves * SubBuckets)];

    public long Count { get; private set; }

    public long Min { get; private set; } = long.MaxValue;

    public long Max { get; private set; }

    public double Sum { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Record(long ticks)
    {
        if (ticks < 0)
        {
            ticks = 0; // a receipt stamped a hair before the send on another core
        }

        _counts[Index(ticks)]++;
        Count++;
        Sum += ticks;
        if (ticks < Min)
        {
            Min = ticks;
        }

        if (ticks > Max)
        {
            Max = ticks;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Sum += other.Sum;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1) in ticks, clamped to the exact min and max.</summary>
    public long Percentile(double q)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        if (rank >= Count)
        {
            return Max;
        }

        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Clamp(Midpoint(i), Min, Max);
            }
        }

        return Max;
    }

    /// <summary>The distribution in microseconds, or null when nothing was recorded.</summary>
    public LatencySummary? Summarize()
    {
        if (Count == 0)
        {
            return null;
        }

        return new LatencySummary(
            Count,
            ToMicroseconds(Percentile(0.50)),
            ToMicroseconds(Percentile(0.90)),
            ToMicroseconds(Percentile(0.99)),
            ToMicroseconds(Percentile(0.999)),
            ToMicroseconds(Max),
            ToMicroseconds(Sum / Count));
    }

    public static double ToMicroseconds(double ticks) => Math.Round(ticks * 1_000_000.0 / Stopwatch.Frequency, 1);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Index(long value)
    {
        if (value < Linear)
        {
            return (int)value;
        }

        var msb = 63 - BitOperations.LeadingZeroCount((ulong)value);
        var shift = msb - 6;
        var top = (int)(value >> shift); // 64..127
        return Linear + ((msb - 7) * SubBuckets) + (top - SubBuckets);
    }

    private static long Midpoint(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var octave = (index - Linear) / SubBuckets;
        var top = ((index - Linear) % SubBuckets) + SubBuckets;
        var shift = octave + 1;
        return ((long)top << shift) + (1L << (shift - 1));
    }
}
