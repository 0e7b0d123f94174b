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

    /// <summary>
    /// Kestrel's socket transport (the web port, and the chat ports with <c>--transport kestrel</c>): run socket I/O
    /// continuations inline instead of on the thread pool (lower latency per delivery). The lean transport always does.
    /// </summary>
    public bool InlineScheduling { get; set; } = true;

    /// <summary>"sqlite" (default: DATA/parley.db) or "memory" (nothing survives a restart; for tests and throwaway servers).</summary>
    public string Store { get; set; } = "sqlite";

    /// <summary>
    /// The chat ports' transport: "lean" (default: Parley's own, which holds no buffers while a connection is idle
    /// and sends a flush with one system call) or "kestrel" (Kestrel's socket transport, as the web port uses).
    /// See docs/operations.md, *Chat-port transport*.
    /// </summary>
    public string Transport { get; set; } = "lean";

    public HubOptions Hub { get; set; } = new();

    /// <summary>When the memory of a burst goes back to the system; see <see cref="IdleMemoryTrimmer"/>.</summary>
    public MemoryTrimOptions MemoryTrim { get; set; } = new();

    /// <summary>The web port's address as users reach it (e.g. behind a proxy), for file links; null: taken from each client's connection.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>File sharing; its directory is DataDirectory/files unless set. Off when the web port is off.</summary>
    public FileTransferOptions Files { get; set; } = new() { Directory = "" };

    /// <summary>
    /// Turns TLS on: chat over TLS on <see cref="TlsPort"/> and HTTPS/WSS (only) on the web port. Set by
    /// `--tls`, or implied by a certificate file.
    /// </summary>
    public bool Tls { get; set; }

    /// <summary>The TLS chat port; 0 picks a free one (see <see cref="ParleyServer.TlsEndPoint"/>). Used only with <see cref="Tls"/>.</summary>
    public int TlsPort { get; set; } = 5556;

    /// <summary>PEM certificate (chain); null means a self-signed one generated in the data directory.</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>PEM private key for <see cref="TlsCertificatePath"/>; null when the key is in the certificate file.</summary>
    public string? TlsKeyPath { get; set; }

    /// <summary>A client that has not finished the TLS handshake by then is dropped (slow-loris).</summary>
    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Origins (scheme://host[:port]) whose pages may open the WebSocket, besides the server's own;
    /// "*" allows any. Requests without an Origin header (non-browser clients) are always allowed.
    /// </summary>
    public IReadOnlyList<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Reverse proxies (addresses or networks) whose X-Forwarded-For the web port believes, so the
    /// WebSocket's remote address is the client's (see <see cref="Web.TrustedProxies"/>). Empty: headers ignored.
    /// </summary>
    public IReadOnlyList<string> TrustedProxies { get; set; } = [];

    /// <summary>TCP keepalive on chat connections: idle time before the first probe; null leaves the OS default (2 h on Linux).</summary>
    public TimeSpan? KeepAliveIdle { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Interval between keepalive probes; with <see cref="KeepAliveProbes"/> unanswered ones the peer is declared dead.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(10);

    public int KeepAliveProbes { get; set; } = 3;

    /// <summary>chat.log rotation (by size and by day, keeping N files).</summary>
    public ChatLogRotation ChatLog { get; set; } = new();
}
