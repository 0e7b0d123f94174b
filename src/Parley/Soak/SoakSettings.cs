namespace Parley.Cli.Soak;

/// <summary>What `parley soak` was asked to do.</summary>
internal sealed record SoakSettings(TimeSpan Duration, int SteadyClients, int ChurnPerSecond, double MessagesPerSecond, TimeSpan ReportEvery, string? DataDirectory);
