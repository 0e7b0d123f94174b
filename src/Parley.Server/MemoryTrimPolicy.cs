namespace Parley.Server;

/// <summary>
/// Decides, from samples of the process's allocation count and heap size, when a trim is due: the heap has
/// grown by at least <see cref="MemoryTrimOptions.GrowthBytes"/> since its lowest point, and the server has
/// been quiet for <see cref="MemoryTrimOptions.QuietFor"/>. Pure, so the rules can be tested without a GC.
/// </summary>
public sealed class MemoryTrimPolicy(MemoryTrimOptions options)
{
    private long _lastAllocated = -1;
    private long _lastAt;
    private long _quietSince = -1;
    private long _floor = long.MaxValue;

    /// <summary>
    /// Takes one sample: <paramref name="at"/> in <see cref="TimeSpan"/> ticks, the bytes allocated so far and the heap's
    /// size now. True when the caller should trim now (and then report the heap it left with <see cref="Trimmed"/>).
    /// </summary>
    public bool Sample(long at, long allocatedBytes, long heapBytes)
    {
        _floor = Math.Min(_floor, heapBytes);
        if (options.GrowthBytes <= 0)
        {
            return false;
        }

        if (_lastAllocated < 0)
        {
            (_lastAllocated, _lastAt, _quietSince) = (allocatedBytes, at, at);
            return false;
        }

        var previous = _lastAt;
        var rate = (allocatedBytes - _lastAllocated) / TimeSpan.FromTicks(Math.Max(1, at - previous)).TotalSeconds;
        (_lastAllocated, _lastAt) = (allocatedBytes, at);
        if (rate >= options.QuietBytesPerSecond)
        {
            _quietSince = -1;
            return false;
        }

        if (_quietSince < 0)
        {
            // Quiet from the previous sample on: the interval just measured is the first quiet one.
            _quietSince = previous;
        }

        return at - _quietSince >= options.QuietFor.Ticks && heapBytes - _floor >= options.GrowthBytes;
    }

    /// <summary>A trim left the heap at <paramref name="heapBytes"/>: growth is counted from there.</summary>
    public void Trimmed(long heapBytes) => _floor = heapBytes;
}
