namespace Parley.Bench;

/// <summary>How a run ended; the command maps it to its exit code.</summary>
public enum BenchOutcome
{
    /// <summary>The run went through all its phases (losses, drops and stalls are results, not failures).</summary>
    Completed,

    /// <summary>A connections run in which not every connection registered and was verified.</summary>
    Incomplete,

    /// <summary>A fan-out run that could not start measuring: registration or the probe failed.</summary>
    SetupFailed,
}
