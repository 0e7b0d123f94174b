namespace Parley.Cli.Chat;

/// <summary>`parley chat` exit codes, as documented in docs/client.md. 1 is System.CommandLine's for a bad command line.</summary>
internal static class ExitCodes
{
    /// <summary>Left normally: /quit, Ctrl+C, Ctrl+D, or the end of piped input once the server confirmed it.</summary>
    public const int Ok = 0;

    public const int BadCommandLine = 1;

    /// <summary>Connection refused, unknown host, no answer.</summary>
    public const int CannotConnect = 2;

    /// <summary>The name was refused and could not be asked for again, or the server turned us away (full).</summary>
    public const int CannotJoin = 3;

    /// <summary>The server shut down, kicked us, or the network failed, and --reconnect was not given.</summary>
    public const int Disconnected = 4;
}
