namespace Parley.Cli.Chat;

/// <summary>What `parley chat` was asked to do, and what it found out about its terminal.</summary>
internal sealed record ChatOptions(string Host, int Port)
{
    public string? User { get; init; }

    public bool Reconnect { get; init; }

    /// <summary>Connect over TLS; <see cref="Insecure"/> accepts any certificate, <see cref="Fingerprint"/> only the pinned one.</summary>
    public bool Tls { get; init; }

    public bool Insecure { get; init; }

    public string? Fingerprint { get; init; }

    /// <summary>Standard input and output are both a terminal: the line editor runs.</summary>
    public bool Interactive { get; init; }

    /// <summary>Standard input is a terminal, so a refused name can be asked for again.</summary>
    public bool InputIsTerminal { get; init; }

    /// <summary>Where accepted files are saved.</summary>
    public string DownloadDirectory { get; init; } = "received_files";

    /// <summary>Save every file shared with us without waiting for /accept.</summary>
    public bool AutoAccept { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan QuitTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);
}
