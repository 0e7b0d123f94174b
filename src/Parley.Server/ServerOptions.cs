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

    /// <summary>"sqlite" (default: DATA/parley.db) or "memory" (nothing survives a restart; for tests and throwaway servers).</summary>
    public string Store { get; set; } = "sqlite";

    public HubOptions Hub { get; set; } = new();
}
