namespace Parley.Bench;

/// <summary>Runs one <c>parley bench</c> scenario against a server and returns what it measured.</summary>
public static class BenchRunner
{
    /// <param name="progress">Called now and then (from any thread) with a snapshot for a progress display.</param>
    public static Task<BenchResult> RunAsync(BenchOptions options, Action<BenchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options.Scenario switch
        {
            BenchScenario.Connections => ConnectionsRun.RunAsync(options, progress, cancellationToken),
            _ => FanoutRun.RunAsync(options, progress, cancellationToken),
        };
    }
}
