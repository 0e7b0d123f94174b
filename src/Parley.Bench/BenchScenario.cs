namespace Parley.Bench;

/// <summary>What a <c>parley bench</c> run measures.</summary>
public enum BenchScenario
{
    /// <summary>Open N connections, register each, prove it with a probe broadcast, hold them.</summary>
    Connections,

    /// <summary>R receivers and K senders in one room; M messages; delivery, loss, throughput, latency.</summary>
    Fanout,

    /// <summary>Fan-out at a fixed rate (default 1000 msg/s to 100 receivers): latency percentiles.</summary>
    Latency,
}
