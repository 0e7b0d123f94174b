using System.Diagnostics;

namespace Parley.Bench;

/// <summary>
/// Connection capacity: open N connections, register each, prove it with a probe broadcast, hold
/// them, and (with a server PID) report how much server memory each live connection costs.
/// </summary>
internal static class ConnectionsRun
{
    public static async Task<BenchResult> RunAsync(BenchOptions options, Action<BenchProgress>? progress, CancellationToken cancellationToken)
    {
        // Any connection may end up the prober, so each is "sender" n for the payload's sender field.
        using var run = new RunState(options, options.Count, senderBase: 0, senderCount: options.Count);
        var result = RunResults.Create(run);
        var pid = options.ServerPid;
        var memoryBefore = pid is { } p0 ? ProcStats.ReadMemory(p0) : null;
        var serverCpuBefore = pid is { } p1 ? ProcStats.ReadCpuSeconds(p1) : null;
        var clientCpuBefore = RunResults.ClientCpuSeconds();
        result.TcpMemoryBeforeKib = ProcStats.ReadTcpMemoryKib();
        try
        {
            await ConnectPhase.RunAsync(run, progress, cancellationToken).ConfigureAwait(false);
            RunResults.AddConnectStats(result, run);

            var prober = run.Connections.FirstOrDefault(c => c.IsRegistered && c.Failure is null);
            if (prober is not null)
            {
                result.Verified = await Probe.RunAsync(run, prober, options.ProbeTimeout, progress, cancellationToken).ConfigureAwait(false) + 1;
            }

            var holdStarted = Stopwatch.GetTimestamp();
            while (prober is not null && !cancellationToken.IsCancellationRequested && Stopwatch.GetElapsedTime(holdStarted) < options.Hold)
            {
                progress?.Invoke(new BenchProgress("hold", run.Connections.Length, result.Registered, result.Failed)
                {
                    Dropped = run.Connections.Count(c => c.Dropped),
                    Elapsed = Stopwatch.GetElapsedTime(holdStarted),
                });
                var left = options.Hold - Stopwatch.GetElapsedTime(holdStarted);
                await Task.Delay(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250), CancellationToken.None).ConfigureAwait(false);
            }

            result.HoldSeconds = Math.Round(Stopwatch.GetElapsedTime(holdStarted).TotalSeconds, 2);
            RunResults.AddDropStats(result, run);

            var memoryAfter = pid is { } p2 ? ProcStats.ReadMemory(p2) : null;
            var live = run.Connections.Count(c => c.IsLive && c.IsRegistered);
            result.ServerRssBeforeKib = memoryBefore?.RssKib;
            result.ServerRssAfterKib = memoryAfter?.RssKib;
            result.ServerHwmKib = memoryAfter?.HwmKib;
            if (memoryBefore is { } before && memoryAfter is { } after && live > 0)
            {
                result.KibPerConnection = Math.Round((after.RssKib - before.RssKib) / (double)live, 2);
            }

            if (serverCpuBefore is { } cpu0 && pid is { } p3 && ProcStats.ReadCpuSeconds(p3) is { } cpu1)
            {
                result.ServerCpuSeconds = Math.Round(cpu1 - cpu0, 2);
            }

            result.TcpMemoryAfterKib = ProcStats.ReadTcpMemoryKib();
            result.Outcome = result.Verified == options.Count && result.Dropped == 0 ? BenchOutcome.Completed : BenchOutcome.Incomplete;
            if (result.Outcome == BenchOutcome.Incomplete)
            {
                result.Error = $"{result.Registered} of {options.Count} registered, {result.Verified} verified by the probe, {result.Dropped} dropped during the hold";
            }
        }
        finally
        {
            RunResults.AddClientTraffic(result, run);
            await RunResults.CloseAllAsync(run).ConfigureAwait(false);
            result.ClientCpuSeconds = Math.Round(RunResults.ClientCpuSeconds() - clientCpuBefore, 2);
        }

        return result;
    }
}
