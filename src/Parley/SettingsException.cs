namespace Parley.Cli;

/// <summary>A setting from the environment or config file that cannot be used; reported as one line.</summary>
internal sealed class SettingsException(string message) : Exception(message);
