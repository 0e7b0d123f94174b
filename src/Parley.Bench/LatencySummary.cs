namespace Parley.Bench;

/// <summary>A latency distribution in microseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max, double Mean);
