using Parley.Core;

namespace Parley.Server;

/// <summary>Everything `parley serve` can be told, from flags, environment or a config file.</summary>
public sealed class ServerOptions
{
    public string Host { get; set; } = "0.0.0.0";

    /// <summary>The TCP chat port; 0 picks a free one (see <see cref="ParleyServer.ChatEndPoint"/>).</summary>
    public int Port { get; set; } = 5555;

    /// <summary>The HTTP port (browser client, admin, health); 0 picks a free one, -1 turns it off.</summary>
    public int WebPort { get; set; } = 8080;

    public string DataDirectory { get; set; } = "data";

    /// <summary>How long a silent new connection waits before being greeted as a person at a terminal.</summary>
    public TimeSpan GreetingDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a graceful shutdown waits for clients to take their last lines.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The token for /admin and /api/; null means one is generated at start-up and printed in the log.</summary>
    public string? AdminToken { get; set; }

    /// <summary>Run socket I/O continuations inline instead of on the thread pool (lower latency per delivery).</summary>
    public bool InlineScheduling { get; set; } = true;

    public HubOptions Hub { get; set; } = new();

    /// <summary>The web port's address as users reach it (e.g. behind a proxy), for file links; null: taken from each client's connection.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>File sharing; its directory is DataDirectory/files unless set. Off when the web port is off.</summary>
    public FileTransferOptions Files { get; set; } = new() { Directory = "" };
}
