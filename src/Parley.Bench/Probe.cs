using System.Diagnostics;
using System.Net.Sockets;

namespace Parley.Bench;

/// <summary>
/// The server-side proof of registration: one client broadcasts a sync message (again every 200 ms)
/// until every other live client has received one. A fan-out only starts measuring after it, so no
/// receiver can miss the first measured message because its join was still being processed.
/// </summary>
internal static class Probe
{
    private static readonly TimeSpan Resend = TimeSpan.FromMilliseconds(200);

    /// <summary>Returns how many of the other live clients saw the probe.</summary>
    public static async Task<int> RunAsync(RunState run, BenchConnection prober, TimeSpan timeout, Action<BenchProgress>? progress, CancellationToken cancellationToken)
    {
        var line = new byte[run.MaxMessageLineBytes];
        var started = Stopwatch.GetTimestamp();
        var lastSent = long.MinValue;
        var lastReport = 0L;
        var attempt = 0;
        while (true)
        {
            var (targets, seen) = Count(run, prober);
            var now = Stopwatch.GetTimestamp();
            if (seen == targets || Stopwatch.GetElapsedTime(started, now) > timeout || cancellationToken.IsCancellationRequested)
            {
                return seen;
            }

            if (lastSent == long.MinValue || Stopwatch.GetElapsedTime(lastSent, now) >= Resend)
            {
                var length = run.WriteMessageLine(line, Payload.Sync, attempt++, prober.SenderIndex);
                try
                {
                    await prober.SendAsync(line.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    return seen;
                }

                lastSent = now;
            }

            if (progress is not null && Stopwatch.GetElapsedTime(lastReport, now) >= TimeSpan.FromMilliseconds(250))
            {
                lastReport = now;
                progress(new BenchProgress("probe", targets, seen, 0) { Elapsed = Stopwatch.GetElapsedTime(started, now) });
            }

            await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static (int Targets, int Seen) Count(RunState run, BenchConnection prober)
    {
        int targets = 0, seen = 0;
        foreach (var connection in run.Connections)
        {
            if (connection == prober || !connection.IsRegistered || connection.Failure is not null)
            {
                continue;
            }

            if (connection.SawProbe)
            {
                seen++;
                targets++;
            }
            else if (!connection.Dropped)
            {
                targets++;
            }
        }

        return (targets, seen);
    }
}
