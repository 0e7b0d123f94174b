namespace Parley.Server.Tests;

/// <summary>When a quiet server trims its heap: only after a real growth, only once quiet, once per growth.</summary>
public sealed class MemoryTrimPolicyTests
{
    private const long MiB = 1024 * 1024;
    private static readonly long Second = TimeSpan.FromSeconds(1).Ticks;

    private static MemoryTrimPolicy Policy() => new(new MemoryTrimOptions
    {
        GrowthBytes = 32 * MiB,
        QuietFor = TimeSpan.FromSeconds(10),
        QuietBytesPerSecond = MiB,
    });

    [Fact]
    public void A_grown_heap_is_trimmed_once_the_server_has_been_quiet_long_enough()
    {
        var policy = Policy();
        var allocated = 0L;
        Assert.False(policy.Sample(0, allocated, 10 * MiB));

        // The burst: 100 MiB allocated in 2 s, the heap grows to 60 MiB.
        allocated += 100 * MiB;
        Assert.False(policy.Sample(2 * Second, allocated, 60 * MiB));

        // Quiet from here: a few KiB a second. Not yet at 10 s, then due.
        for (var t = 4; t < 12; t += 2)
        {
            allocated += 4096;
            Assert.False(policy.Sample(t * Second, allocated, 60 * MiB));
        }

        allocated += 4096;
        Assert.True(policy.Sample(12 * Second, allocated, 60 * MiB));
    }

    [Fact]
    public void A_busy_server_is_never_trimmed()
    {
        var policy = Policy();
        var allocated = 0L;
        Assert.False(policy.Sample(0, allocated, 10 * MiB));
        for (var t = 2; t < 120; t += 2)
        {
            allocated += 4 * MiB;
            Assert.False(policy.Sample(t * Second, allocated, 200 * MiB));
        }
    }

    [Fact]
    public void A_quiet_server_whose_heap_has_not_grown_enough_is_left_alone()
    {
        var policy = Policy();
        Assert.False(policy.Sample(0, 0, 10 * MiB));
        for (var t = 2; t < 120; t += 2)
        {
            Assert.False(policy.Sample(t * Second, t, 41 * MiB));
        }
    }

    [Fact]
    public void After_a_trim_only_new_growth_counts()
    {
        var policy = Policy();
        Assert.False(policy.Sample(0, 0, 10 * MiB));
        Assert.False(policy.Sample(2 * Second, 100 * MiB, 60 * MiB));
        var t = 4L;
        while (!policy.Sample(t * Second, 100 * MiB, 60 * MiB))
        {
            t += 2;
        }

        policy.Trimmed(45 * MiB);
        for (t += 2; t < 200; t += 2)
        {
            Assert.False(policy.Sample(t * Second, 100 * MiB, 45 * MiB));
        }

        // Another burst on top of what the trim left: due again once quiet.
        Assert.False(policy.Sample(t * Second, 300 * MiB, 80 * MiB));
        var due = false;
        for (var end = t + 20; t <= end && !due; t += 2)
        {
            due = policy.Sample(t * Second, 300 * MiB, 80 * MiB);
        }

        Assert.True(due);
    }

    [Fact]
    public void Growth_is_counted_from_the_heaps_lowest_point()
    {
        var policy = Policy();
        Assert.False(policy.Sample(0, 0, 50 * MiB));

        // The GC brought it down on its own; 40 MiB above that low is a growth, 40 above the start would not be.
        Assert.False(policy.Sample(2 * Second, 10 * MiB, 20 * MiB));
        Assert.False(policy.Sample(4 * Second, 110 * MiB, 60 * MiB));
        var due = false;
        for (var t = 6L; t <= 20 && !due; t += 2)
        {
            due = policy.Sample(t * Second, 110 * MiB, 60 * MiB);
        }

        Assert.True(due);
    }

    [Fact]
    public void Zero_growth_turns_trimming_off()
    {
        var policy = new MemoryTrimPolicy(new MemoryTrimOptions { GrowthBytes = 0 });
        for (var t = 0L; t < 100; t += 2)
        {
            Assert.False(policy.Sample(t * Second, 0, 1000 * MiB));
        }
    }
}
