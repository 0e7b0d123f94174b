namespace Parley.Server;

/// <summary>When the server gives the memory of a burst back to the system (see <see cref="IdleMemoryTrimmer"/>).</summary>
public sealed class MemoryTrimOptions
{
    /// <summary>How much the managed heap must have grown since its lowest point (or the last trim); 0 turns trimming off.</summary>
    public long GrowthBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>How long the server must have been quiet (allocating less than <see cref="QuietBytesPerSecond"/>).</summary>
    public TimeSpan QuietFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Below this allocation rate the server counts as quiet: an idle chat server allocates almost nothing.</summary>
    public long QuietBytesPerSecond { get; set; } = 1024 * 1024;

    /// <summary>How often the allocation rate and the heap are sampled.</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromSeconds(2);
}
