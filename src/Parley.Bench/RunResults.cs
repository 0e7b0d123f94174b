using System.Diagnostics;

namespace Parley.Bench;

/// <summary>The parts of a result every scenario fills the same way.</summary>
internal static class RunResults
{
    public static BenchResult Create(RunState run) => new()
    {
        Scenario = run.Options.Scenario,
        Protocol = run.Options.Protocol,
        Host = run.Options.Host,
        Port = run.Options.Port,
        RunId = run.RunIdText,
        StartedAt = DateTimeOffset.UtcNow,
    };

    public static void AddConnectStats(BenchResult result, RunState run)
    {
        var connections = run.Connections;
        result.Connections = connections.Length;
        result.Connected = connections.Count(c => c.ConnectedAt > 0);
        result.Registered = connections.Count(c => c.IsRegistered && c.Failure is null);
        result.Failed = connections.Count(c => c.Failure is not null);
        result.FailReasons = connections
            .Where(c => c.Failure is not null)
            .GroupBy(c => c.Failure!.Split(' ', 2)[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        result.ServerError = connections.Select(c => c.Failure).FirstOrDefault(f => f is not null && f.StartsWith("SERVER_ERROR ", StringComparison.Ordinal))?["SERVER_ERROR ".Length..];

        var started = connections.Where(c => c.ConnectStarted > 0).Select(c => c.ConnectStarted).DefaultIfEmpty().Min();
        var registered = connections.Where(c => c.IsRegistered).Select(c => c.RegisteredAt).DefaultIfEmpty().Max();
        if (started > 0 && registered > started)
        {
            result.ConnectSeconds = Stopwatch.GetElapsedTime(started, registered).TotalSeconds;
            result.ConnectionsPerSecond = result.Registered / result.ConnectSeconds;
        }

        var connectMs = connections.Where(c => c.ConnectedAt > 0).Select(c => Milliseconds(c.ConnectedAt - c.ConnectStarted)).Order().ToArray();
        var registerMs = connections.Where(c => c.IsRegistered).Select(c => Milliseconds(c.RegisteredAt - c.ConnectStarted)).Order().ToArray();
        result.ConnectMsP50 = Percentile(connectMs, 0.50);
        result.ConnectMsP99 = Percentile(connectMs, 0.99);
        result.ConnectMsMax = Percentile(connectMs, 1.0);
        result.RegisterMsP50 = Percentile(registerMs, 0.50);
        result.RegisterMsP99 = Percentile(registerMs, 0.99);
        result.RegisterMsMax = Percentile(registerMs, 1.0);
    }

    public static void AddDropStats(BenchResult result, RunState run)
    {
        var dropped = run.Connections.Where(c => c.Dropped).OrderBy(c => c.DroppedAt).ToArray();
        result.Dropped = dropped.Length;
        result.FirstDrop = dropped.FirstOrDefault()?.DropReason;
    }

    public static void AddClientTraffic(BenchResult result, RunState run)
    {
        result.ClientBytesIn = run.Connections.Sum(c => c.BytesIn);
        result.ClientBytesOut = run.Connections.Sum(c => Interlocked.Read(ref c.BytesOut));
    }

    /// <summary>Closes every connection and waits (bounded) for the receive loops to stop.</summary>
    public static async Task CloseAllAsync(RunState run)
    {
        var closing = Task.WhenAll(run.Connections.Select(c => c.CloseAsync()));
        await Task.WhenAny(closing, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
    }

    public static double ClientCpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double? Percentile(double[] sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return null;
        }

        var index = Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1);
        return Math.Round(sorted[index], 2);
    }
}
