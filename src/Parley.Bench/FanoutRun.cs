using System.Diagnostics;

namespace Parley.Bench;

/// <summary>
/// Fan-out: R receivers and K senders register, a probe proves every join reached the server, an
/// optional warm-up runs, then the senders send M messages and every client counts what it gets.
/// Ends when every live client has everything, when nothing new arrived for the drain time after
/// the last send (stalled), or at the timeout.
/// </summary>
internal static class FanoutRun
{
    private static readonly TimeSpan WarmupDrain = TimeSpan.FromSeconds(10);

    public static async Task<BenchResult> RunAsync(BenchOptions options, Action<BenchProgress>? progress, CancellationToken cancellationToken)
    {
        int receivers = options.Receivers, senders = options.Senders, messages = options.Messages;
        using var run = new RunState(options, receivers + senders, senderBase: receivers, senderCount: senders);
        var result = RunResults.Create(run);
        result.Receivers = receivers;
        result.Senders = senders;
        result.Messages = messages;
        result.Rate = options.Rate;
        result.Size = options.Size;
        result.TcpMemoryBeforeKib = ProcStats.ReadTcpMemoryKib();
        var pid = options.ServerPid;
        result.ServerRssBeforeKib = pid is { } p0 ? ProcStats.ReadMemory(p0)?.RssKib : null;
        try
        {
            await ConnectPhase.RunAsync(run, progress, cancellationToken).ConfigureAwait(false);
            RunResults.AddConnectStats(result, run);
            if (result.Registered < run.Connections.Length)
            {
                return SetupFailed(result, $"{result.Connections - result.Registered} of {result.Connections} clients did not register ({string.Join(", ", result.FailReasons.Select(r => $"{r.Key} {r.Value}"))}){(result.ServerError is null ? "" : ": " + result.ServerError)}");
            }

            var prober = run.Connections[run.SenderBase];
            var seen = await Probe.RunAsync(run, prober, options.ProbeTimeout, progress, cancellationToken).ConfigureAwait(false);
            result.Verified = seen + 1;
            if (result.Verified < run.Connections.Length)
            {
                return SetupFailed(result, $"the probe reached {seen} of {run.Connections.Length - 1} clients within {options.ProbeTimeout.TotalSeconds:0.#} s");
            }

            if (options.Warmup > TimeSpan.Zero)
            {
                await WarmupAsync(run, result, progress, cancellationToken).ConfigureAwait(false);
            }

            await MeasureAsync(run, result, progress, cancellationToken).ConfigureAwait(false);
            result.Outcome = BenchOutcome.Completed;
        }
        finally
        {
            RunResults.AddDropStats(result, run);
            RunResults.AddClientTraffic(result, run);
            await RunResults.CloseAllAsync(run).ConfigureAwait(false);
            result.TcpMemoryAfterKib ??= ProcStats.ReadTcpMemoryKib();
        }

        return result;
    }

    private static BenchResult SetupFailed(BenchResult result, string error)
    {
        result.Outcome = BenchOutcome.SetupFailed;
        result.Error = error;
        return result;
    }

    private static async Task WarmupAsync(RunState run, BenchResult result, Action<BenchProgress>? progress, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var rate = options.Rate ?? 1000;
        var count = (int)Math.Max(1, Math.Ceiling(rate * options.Warmup.TotalSeconds));
        run.WarmupMessages = count;
        foreach (var connection in run.Connections)
        {
            connection.PrepareWarmup(count);
        }

        var sending = new Senders(run, Payload.Warmup, count);
        await sending.RunAsync(rate, cancellationToken).ConfigureAwait(false);
        var expected = Expected(run, count);
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < WarmupDrain && !cancellationToken.IsCancellationRequested)
        {
            var delivered = run.Connections.Where(c => !c.Dropped).Sum(c => c.WarmupDelivered);
            progress?.Invoke(new BenchProgress("warmup", run.Connections.Length, 0, 0) { Sent = sending.Sent, Messages = count, Delivered = delivered, Expected = expected });
            if (delivered >= run.Connections.Where(c => !c.Dropped).Sum(c => BenchConnection.ExpectedFor(c.SenderIndex, count, run.SenderCount)))
            {
                break;
            }

            await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
        }

        result.WarmupMessages = count;
        result.WarmupDelivered = run.Connections.Sum(c => c.WarmupDelivered);
    }

    private static async Task MeasureAsync(RunState run, BenchResult result, Action<BenchProgress>? progress, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var messages = options.Messages;
        run.Messages = messages;
        foreach (var connection in run.Connections)
        {
            connection.PrepareMeasured(messages, run.SenderCount);
        }

        var expected = Expected(run, messages);
        var pid = options.ServerPid;
        var serverCpuBefore = pid is { } p0 ? ProcStats.ReadCpuSeconds(p0) : null;
        var clientCpuBefore = RunResults.ClientCpuSeconds();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sending = new Senders(run, Payload.Measured, messages);
        var started = Stopwatch.GetTimestamp();
        var sendTask = sending.RunAsync(options.Rate, stop.Token);

        long lastDelivered = -1;
        var lastChange = started;
        var lastReport = 0L;
        bool stalled = false, timedOut = false;
        while (true)
        {
            await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
            var now = Stopwatch.GetTimestamp();
            long delivered = 0;
            var complete = true;
            foreach (var connection in run.Connections)
            {
                var got = Volatile.Read(ref connection.Delivered);
                delivered += got;
                complete &= connection.Dropped || got >= connection.Expected;
            }

            var allSent = sendTask.IsCompleted;
            if (allSent && complete)
            {
                break;
            }

            if (delivered != lastDelivered)
            {
                lastDelivered = delivered;
                lastChange = now;
            }
            else if (allSent && Stopwatch.GetElapsedTime(lastChange, now) >= options.Drain)
            {
                stalled = true;
                break;
            }

            if (Stopwatch.GetElapsedTime(started, now) >= options.Timeout || cancellationToken.IsCancellationRequested)
            {
                timedOut = true;
                break;
            }

            if (progress is not null && Stopwatch.GetElapsedTime(lastReport, now) >= TimeSpan.FromMilliseconds(250))
            {
                lastReport = now;
                progress(new BenchProgress("send", run.Connections.Length, 0, 0)
                {
                    Sent = sending.Sent,
                    Messages = messages,
                    Delivered = delivered,
                    Expected = expected,
                    Dropped = run.Connections.Count(c => c.Dropped),
                    Elapsed = Stopwatch.GetElapsedTime(started, now),
                });
            }
        }

        // Server figures first: closing a thousand connections costs the server CPU of its own.
        if (serverCpuBefore is { } cpu0 && pid is { } p1 && ProcStats.ReadCpuSeconds(p1) is { } cpu1)
        {
            result.ServerCpuSeconds = Math.Round(cpu1 - cpu0, 2);
        }

        if (pid is { } p2 && ProcStats.ReadMemory(p2) is { } memory)
        {
            result.ServerRssAfterKib = memory.RssKib;
            result.ServerHwmKib = memory.HwmKib;
        }

        result.TcpMemoryAfterKib = ProcStats.ReadTcpMemoryKib();
        result.ClientCpuSeconds = Math.Round(RunResults.ClientCpuSeconds() - clientCpuBefore, 2);
        await stop.CancelAsync().ConfigureAwait(false);
        await RunResults.CloseAllAsync(run).ConfigureAwait(false);
        await Task.WhenAny(sendTask, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);

        var connections = run.Connections;
        var total = connections.Sum(c => c.Delivered);
        result.Sent = sending.Sent;
        result.Expected = expected;
        result.Delivered = total;
        result.Lost = expected - total;
        result.Duplicates = connections.Sum(c => c.Duplicates);
        result.Garbled = connections.Sum(c => c.Garbled);
        result.NameMismatches = connections.Sum(c => c.NameMismatches);
        result.Foreign = connections.Sum(c => c.Foreign);
        result.SelfEchoes = connections.Sum(c => c.SelfEchoes);
        result.RateLimited = connections.Sum(c => c.RateLimited);
        result.Stalled = stalled;
        result.TimedOut = timedOut;
        var lastDelivery = connections.Max(c => c.LastDelivery);
        if (total > 0 && lastDelivery > started)
        {
            var wall = Stopwatch.GetElapsedTime(started, lastDelivery).TotalSeconds;
            result.WallSeconds = Math.Round(wall, 4);
            result.DeliveriesPerSecond = Math.Round(total / wall);
            result.MessagesPerSecond = Math.Round(total / wall / (connections.Length - 1), 1);
        }

        if (sending.LastSendAt > started)
        {
            result.SendSeconds = Math.Round(Stopwatch.GetElapsedTime(started, sending.LastSendAt).TotalSeconds, 4);
        }

        result.Latency = run.MergedLatency().Summarize();
        result.Lag = options.Rate is null ? null : sending.Lag.Summarize();
    }

    private static long Expected(RunState run, int messages) => (long)messages * (run.Connections.Length - 1);
}
