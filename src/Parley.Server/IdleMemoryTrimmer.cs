using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Parley.Server;

/// <summary>
/// Gives the memory of a burst back to the system once the server goes quiet. A join storm (a class logging
/// in at nine, 19,000 users in a benchmark) leaves its short-lived objects in the oldest generation, and an
/// idle server allocates too little for the GC ever to run again, so they stay: about a third of the memory
/// per idle connection. After <see cref="MemoryTrimOptions.QuietFor"/> of quiet, with the heap grown by
/// <see cref="MemoryTrimOptions.GrowthBytes"/>, one full compacting collection in the GC's aggressive mode
/// (which also decommits what it frees) returns it. Busy servers are never trimmed: they are not quiet.
/// </summary>
/// <remarks>
/// The cost is one blocking collection of the live heap (tens of milliseconds at 19,000 connections, measured
/// in docs/benchmarks.md), once per quiet spell after a growth; the log says each time.
/// </remarks>
internal sealed class IdleMemoryTrimmer(ServerOptions options, TimeProvider time, ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    private readonly MemoryTrimPolicy _policy = new(options.MemoryTrim);

    /// <summary>Trims done so far (for tests and the log).</summary>
    public int Trims { get; private set; }

    /// <summary>The heap's size before and after the last trim, in bytes.</summary>
    public (long Before, long After) LastTrim { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.MemoryTrim.GrowthBytes <= 0)
        {
            return;
        }

        // The first sample is the baseline, taken at start: a burst can be over before the first tick.
        Sample();
        using var timer = new PeriodicTimer(options.MemoryTrim.CheckEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Sample();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Sample()
    {
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        if (_policy.Sample(time.GetUtcNow().UtcTicks, GC.GetTotalAllocatedBytes(precise: false), heap))
        {
            Trim(heap);
        }
    }

    private void Trim(long heapBefore)
    {
        var workingSetBefore = Environment.WorkingSet;
        var started = Stopwatch.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var pause = Stopwatch.GetElapsedTime(started);
        var heapAfter = GC.GetTotalMemory(forceFullCollection: false);
        _policy.Trimmed(heapAfter);
        LastTrim = (heapBefore, heapAfter);
        Trims++;
        logger.LogInformation(
            "Memory trim after a quiet spell: heap {HeapBefore} -> {HeapAfter} MiB, process {WorkingSetBefore} -> {WorkingSetAfter} MiB, {Pause:0} ms",
            heapBefore >> 20,
            heapAfter >> 20,
            workingSetBefore >> 20,
            Environment.WorkingSet >> 20,
            pause.TotalMilliseconds);
    }
}
