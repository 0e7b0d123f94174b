using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Parley.Bench;

/// <summary>Renders a <see cref="BenchResult"/>: a summary table for people, one JSON object for scripts.</summary>
public static class BenchReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The result's <see cref="BenchResult.Fields"/> as one JSON object (snake_case keys, numbers as numbers).</summary>
    public static string ToJson(BenchResult result, bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in result.Fields())
            {
                switch (value)
                {
                    case string s:
                        writer.WriteString(key, s);
                        break;
                    case bool b:
                        writer.WriteBoolean(key, b);
                        break;
                    case int i:
                        writer.WriteNumber(key, i);
                        break;
                    case long l:
                        writer.WriteNumber(key, l);
                        break;
                    case double d:
                        writer.WriteNumber(key, d);
                        break;
                    default:
                        writer.WriteString(key, Convert.ToString(value, Invariant));
                        break;
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A short headline and a two-column table of what matters for the scenario.</summary>
    public static string ToTable(BenchResult result)
    {
        var rows = new List<(string Name, string Value)>();
        var sb = new StringBuilder();
        sb.Append(Invariant, $"parley bench {result.Scenario.ToString().ToLowerInvariant()} ({result.Protocol.ToString().ToLowerInvariant()}) against {result.Host}:{result.Port}, run {result.RunId}");
        if (result.Scenario == BenchScenario.Connections)
        {
            sb.Append(Invariant, $", {result.Connections} connections");
        }
        else
        {
            sb.Append(Invariant, $", {result.Receivers} receivers + {result.Senders} senders, {result.Messages} messages of {result.Size} B, ");
            sb.Append(result.Rate is { } rate ? string.Format(Invariant, "{0} msg/s", rate) : "unthrottled");
        }

        sb.AppendLine();
        rows.Add(("outcome", result.Outcome.ToString().ToLowerInvariant() + (result.Error is null ? "" : ": " + result.Error)));
        rows.Add(("registered", string.Format(Invariant, "{0} of {1} in {2:0.###} s ({3:0} per s), {4} verified by probe, {5} failed{6}", result.Registered, result.Connections, result.ConnectSeconds, result.ConnectionsPerSecond, result.Verified, result.Failed, FailReasons(result))));
        if (result.ServerError is not null)
        {
            rows.Add(("server said", result.ServerError));
        }

        rows.Add(("connect ms", string.Format(Invariant, "p50 {0}  p99 {1}  max {2}", Ms(result.ConnectMsP50), Ms(result.ConnectMsP99), Ms(result.ConnectMsMax))));
        rows.Add(("register ms", string.Format(Invariant, "p50 {0}  p99 {1}  max {2}", Ms(result.RegisterMsP50), Ms(result.RegisterMsP99), Ms(result.RegisterMsMax))));
        rows.Add(("dropped", result.Dropped == 0 ? "0" : string.Format(Invariant, "{0} (first: {1})", result.Dropped, result.FirstDrop)));
        if (result.Delivered is { } delivered)
        {
            var expected = result.Expected ?? 0;
            rows.Add(("delivered", string.Format(Invariant, "{0:N0} of {1:N0} expected ({2:0.###} %), sent {3:N0} of {4:N0} messages", delivered, expected, expected == 0 ? 0 : delivered * 100.0 / expected, result.Sent, result.Messages)));
            rows.Add(("lost", string.Format(Invariant, "{0:N0}   dup {1}   garbled {2}   name mismatch {3}   foreign {4}   rate-limited {5}", result.Lost, result.Duplicates, result.Garbled, result.NameMismatches, result.Foreign, result.RateLimited)));
            rows.Add(("deliveries/s", string.Format(Invariant, "{0:N0}   ({1:N1} msgs/s per client; wall {2:0.###} s, sending {3:0.###} s){4}{5}", result.DeliveriesPerSecond ?? 0, result.MessagesPerSecond ?? 0, result.WallSeconds ?? 0, result.SendSeconds ?? 0, result.Stalled == true ? ", STALLED" : "", result.TimedOut == true ? ", TIMED OUT" : "")));
            rows.Add(("latency µs", Latency(result.Latency)));
            if (result.Lag is not null)
            {
                rows.Add(("send lag µs", Latency(result.Lag)));
            }

            if (result.WarmupMessages is { } warmup)
            {
                rows.Add(("warm-up", string.Format(Invariant, "{0} messages, {1:N0} deliveries", warmup, result.WarmupDelivered)));
            }
        }

        if (result.HoldSeconds is { } hold)
        {
            rows.Add(("held", string.Format(Invariant, "{0:0.##} s", hold)));
        }

        if (result.ServerRssBeforeKib is not null || result.ServerRssAfterKib is not null)
        {
            rows.Add(("server memory", string.Format(Invariant, "RSS {0} -> {1} MiB, peak {2} MiB{3}", Mib(result.ServerRssBeforeKib), Mib(result.ServerRssAfterKib), Mib(result.ServerHwmKib), result.KibPerConnection is { } per ? string.Format(Invariant, ", {0:0.##} KiB per live connection", per) : "")));
        }

        if (result.ServerCpuSeconds is { } serverCpu)
        {
            rows.Add(("server cpu", string.Format(Invariant, "{0:0.##} s{1}", serverCpu, result.ServerCpuMicrosecondsPerDelivery is { } us ? string.Format(Invariant, " ({0:0.###} µs per delivery)", us) : "")));
        }

        if (result.ClientCpuSeconds is { } clientCpu)
        {
            rows.Add(("client cpu", string.Format(Invariant, "{0:0.##} s{1}, {2} MiB in, {3} MiB out", clientCpu, result.ClientCpuMicrosecondsPerDelivery is { } us ? string.Format(Invariant, " ({0:0.###} µs per delivery)", us) : "", Mib(result.ClientBytesIn / 1024), Mib(result.ClientBytesOut / 1024))));
        }

        if (result.TcpMemoryAfterKib is not null)
        {
            rows.Add(("kernel tcp mem", string.Format(Invariant, "{0} -> {1} MiB (whole machine)", Mib(result.TcpMemoryBeforeKib), Mib(result.TcpMemoryAfterKib))));
        }

        var width = rows.Max(r => r.Name.Length);
        foreach (var (name, value) in rows)
        {
            sb.Append("  ").Append(name.PadRight(width)).Append("  ").AppendLine(value);
        }

        return sb.ToString();
    }

    private static string FailReasons(BenchResult result) =>
        result.FailReasons.Count == 0 ? "" : " (" + string.Join(", ", result.FailReasons.Select(r => $"{r.Key} {r.Value}")) + ")";

    private static string Latency(LatencySummary? summary) => summary is null
        ? "-"
        : string.Format(Invariant, "p50 {0:0.#}  p90 {1:0.#}  p99 {2:0.#}  p99.9 {3:0.#}  max {4:0.#}  mean {5:0.#}", summary.P50, summary.P90, summary.P99, summary.P999, summary.Max, summary.Mean);

    private static string Ms(double? value) => value is { } v ? v.ToString("0.##", Invariant) : "-";

    private static string Mib(long? kib) => kib is { } k ? (k / 1024.0).ToString("0.#", Invariant) : "-";
}
