using Microsoft.Extensions.DependencyInjection;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// The trimmer on a real server. The allocation rate it watches is the whole process's, so this runs alone
/// (other tests allocating would keep it from ever seeing quiet).
/// </summary>
[Collection(nameof(IdleMemoryTrimmerTests))]
[CollectionDefinition(nameof(IdleMemoryTrimmerTests), DisableParallelization = true)]
public sealed class IdleMemoryTrimmerTests
{
    [Fact]
    public async Task A_burst_is_given_back_once_the_server_is_quiet_and_it_keeps_serving()
    {
        // The trimmer counts growth from the lowest heap it has seen, starting with its first sample. After the
        // rest of the suite the heap is full of other tests' garbage; collected first, the baseline is what lives.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        await using var server = await TestServer.StartAsync(o => o.MemoryTrim = new MemoryTrimOptions
        {
            GrowthBytes = 16L * 1024 * 1024,
            QuietFor = TimeSpan.FromMilliseconds(400),
            QuietBytesPerSecond = 4L * 1024 * 1024,
            CheckEvery = TimeSpan.FromMilliseconds(100),
        });
        var trimmer = server.Server.Services.GetRequiredService<IdleMemoryTrimmer>();
        await using var alice = await server.JoinTextAsync("alice");
        await using var bob = await server.JoinTextAsync("bob");
        Assert.Equal(0, trimmer.Trims);

        // What a join storm leaves behind: many small objects that lived long enough to reach the oldest
        // generation (the collection here stands for the ones that ran during the storm), then died.
        LeaveGarbageInTheOldestGeneration(64 * 1024 * 1024);

        await Eventually.TrueAsync(() => trimmer.Trims == 1, LineClient.DefaultTimeout, "a trim after the burst");
        var (before, after) = trimmer.LastTrim;
        Assert.True(before - after >= 48L * 1024 * 1024, $"the trim took the heap from {before >> 20} to {after >> 20} MiB");
        await alice.SendLineAsync("still here");
        await bob.ExpectAsync("alice: still here");
    }

    private static void LeaveGarbageInTheOldestGeneration(int bytes)
    {
        var burst = new List<byte[]>();
        for (var size = 0; size < bytes; size += 256)
        {
            burst.Add(new byte[256 - 24]);
        }

        GC.Collect();
        GC.Collect();
        GC.KeepAlive(burst);
    }
}
