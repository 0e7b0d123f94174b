namespace Parley.Bench;

/// <summary>
/// What a run measured. Counts are exact; rates and times are from the client's clock. Properties
/// that do not apply to the scenario (or could not be read, like server memory without a PID) are
/// null and left out of <see cref="Fields"/>.
/// </summary>
public sealed class BenchResult
{
    public required BenchScenario Scenario { get; init; }

    public required BenchProtocol Protocol { get; init; }

    public required string Host { get; init; }

    public required int Port { get; init; }

    public required string RunId { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public BenchOutcome Outcome { get; set; }

    /// <summary>Why the run could not complete (setup failure), in one sentence.</summary>
    public string? Error { get; set; }

    // ---- connections (every scenario opens some)
    public int Connections { get; set; }

    public int Connected { get; set; }

    public int Registered { get; set; }

    /// <summary>Connections the probe broadcast reached, plus the prober: the server-side proof of registration.</summary>
    public int Verified { get; set; }

    public int Failed { get; set; }

    /// <summary>Failures by reason: ECONNREFUSED, TIMEOUT, EOF, SERVER_ERROR (the server answered with an error line) ...</summary>
    public IReadOnlyDictionary<string, int> FailReasons { get; set; } = new Dictionary<string, int>();

    /// <summary>The first error line a server answered a registration with (e.g. "ERROR server full ...").</summary>
    public string? ServerError { get; set; }

    /// <summary>Connections the server closed after they had registered.</summary>
    public int Dropped { get; set; }

    /// <summary>How the first dropped connection ended (EOF, ECONNRESET ...).</summary>
    public string? FirstDrop { get; set; }

    /// <summary>First connect() to last registration.</summary>
    public double ConnectSeconds { get; set; }

    public double ConnectionsPerSecond { get; set; }

    public double? ConnectMsP50 { get; set; }

    public double? ConnectMsP99 { get; set; }

    public double? ConnectMsMax { get; set; }

    public double? RegisterMsP50 { get; set; }

    public double? RegisterMsP99 { get; set; }

    public double? RegisterMsMax { get; set; }

    public double? HoldSeconds { get; set; }

    // ---- server and machine (with --server-pid)
    public long? ServerRssBeforeKib { get; set; }

    public long? ServerRssAfterKib { get; set; }

    public long? ServerHwmKib { get; set; }

    /// <summary>(RSS after − RSS before) / live connections, connections scenario only.</summary>
    public double? KibPerConnection { get; set; }

    /// <summary>Server CPU over the measured phase (fan-out) or the whole run (connections).</summary>
    public double? ServerCpuSeconds { get; set; }

    public double? ClientCpuSeconds { get; set; }

    public long? TcpMemoryBeforeKib { get; set; }

    public long? TcpMemoryAfterKib { get; set; }

    // ---- fan-out
    public int? Receivers { get; set; }

    public int? Senders { get; set; }

    public int? Messages { get; set; }

    public double? Rate { get; set; }

    public int? Size { get; set; }

    public long? Sent { get; set; }

    /// <summary>Every message to every client except its sender.</summary>
    public long? Expected { get; set; }

    /// <summary>Distinct (message, receiver) pairs received, not counting a sender's own echo.</summary>
    public long? Delivered { get; set; }

    public long? Lost { get; set; }

    public long? Duplicates { get; set; }

    public long? Garbled { get; set; }

    public long? NameMismatches { get; set; }

    public long? Foreign { get; set; }

    public long? SelfEchoes { get; set; }

    /// <summary>Flood-control errors the senders were sent (the server dropped those messages).</summary>
    public long? RateLimited { get; set; }

    /// <summary>First measured send to last first-time delivery.</summary>
    public double? WallSeconds { get; set; }

    /// <summary>First measured send to the last one handed to the socket.</summary>
    public double? SendSeconds { get; set; }

    public double? DeliveriesPerSecond { get; set; }

    public double? MessagesPerSecond { get; set; }

    public LatencySummary? Latency { get; set; }

    /// <summary>How far behind schedule the rate scheduler sent (rate runs only).</summary>
    public LatencySummary? Lag { get; set; }

    public bool? Stalled { get; set; }

    public bool? TimedOut { get; set; }

    public int? WarmupMessages { get; set; }

    public long? WarmupDelivered { get; set; }

    public long? ClientBytesIn { get; set; }

    public long? ClientBytesOut { get; set; }

    /// <summary>Microseconds of client CPU per delivery (fan-out), the figure to compare instruments with.</summary>
    public double? ClientCpuMicrosecondsPerDelivery => ClientCpuSeconds is { } cpu && Delivered is > 0 ? Math.Round(cpu * 1e6 / Delivered.Value, 3) : null;

    public double? ServerCpuMicrosecondsPerDelivery => ServerCpuSeconds is { } cpu && Delivered is > 0 ? Math.Round(cpu * 1e6 / Delivered.Value, 3) : null;

    /// <summary>Every measured value as snake_case key and number, string or boolean, in a stable order.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Fields()
    {
        var fields = new List<KeyValuePair<string, object>>();

        void Add(string key, object? value)
        {
            if (value is not null)
            {
                fields.Add(new(key, value));
            }
        }

        Add("scenario", Scenario.ToString().ToLowerInvariant());
        Add("proto", Protocol.ToString().ToLowerInvariant());
        Add("host", Host);
        Add("port", Port);
        Add("run", RunId);
        Add("started_at", StartedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        Add("outcome", Outcome.ToString().ToLowerInvariant());
        Add("error", Error);
        Add("connections", Connections);
        Add("connected", Connected);
        Add("registered", Registered);
        Add("verified", Verified);
        Add("failed", Failed);
        foreach (var (reason, count) in FailReasons.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            Add("fail_" + reason, count);
        }

        Add("server_error", ServerError);
        Add("dropped", Dropped);
        Add("first_drop", FirstDrop);
        Add("connect_s", Math.Round(ConnectSeconds, 3));
        Add("conn_per_s", Math.Round(ConnectionsPerSecond, 1));
        Add("conn_p50_ms", ConnectMsP50);
        Add("conn_p99_ms", ConnectMsP99);
        Add("conn_max_ms", ConnectMsMax);
        Add("reg_p50_ms", RegisterMsP50);
        Add("reg_p99_ms", RegisterMsP99);
        Add("reg_max_ms", RegisterMsMax);
        Add("hold_s", HoldSeconds);
        Add("receivers", Receivers);
        Add("senders", Senders);
        Add("messages", Messages);
        Add("rate", Rate);
        Add("size", Size);
        Add("sent", Sent);
        Add("expected", Expected);
        Add("delivered", Delivered);
        Add("lost", Lost);
        Add("dup", Duplicates);
        Add("garbled", Garbled);
        Add("name_mismatch", NameMismatches);
        Add("foreign", Foreign);
        Add("self_echo", SelfEchoes);
        Add("rate_limited", RateLimited);
        Add("disconnects", Scenario == BenchScenario.Connections ? null : Dropped);
        Add("wall_s", WallSeconds);
        Add("send_s", SendSeconds);
        Add("deliv_per_s", DeliveriesPerSecond);
        Add("msgs_per_s", MessagesPerSecond);
        AddLatency("lat", Latency);
        AddLatency("lag", Lag);
        Add("stalled", Stalled);
        Add("timed_out", TimedOut);
        Add("warmup_messages", WarmupMessages);
        Add("warmup_delivered", WarmupDelivered);
        Add("srv_rss_before_kib", ServerRssBeforeKib);
        Add("srv_rss_after_kib", ServerRssAfterKib);
        Add("srv_hwm_kib", ServerHwmKib);
        Add("kib_per_conn", KibPerConnection);
        Add("srv_cpu_s", ServerCpuSeconds);
        Add("cli_cpu_s", ClientCpuSeconds);
        Add("srv_cpu_us_per_delivery", ServerCpuMicrosecondsPerDelivery);
        Add("cli_cpu_us_per_delivery", ClientCpuMicrosecondsPerDelivery);
        Add("cli_bytes_in", ClientBytesIn);
        Add("cli_bytes_out", ClientBytesOut);
        Add("tcp_mem_before_kib", TcpMemoryBeforeKib);
        Add("tcp_mem_after_kib", TcpMemoryAfterKib);
        return fields;

        void AddLatency(string prefix, LatencySummary? summary)
        {
            if (summary is null)
            {
                return;
            }

            Add(prefix + "_p50_us", summary.P50);
            Add(prefix + "_p90_us", summary.P90);
            Add(prefix + "_p99_us", summary.P99);
            Add(prefix + "_p999_us", summary.P999);
            Add(prefix + "_max_us", summary.Max);
            Add(prefix + "_mean_us", summary.Mean);
        }
    }
}
