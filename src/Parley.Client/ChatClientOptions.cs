namespace Parley.Client;

/// <summary>Limits and timings of a <see cref="ChatClient"/>. The defaults suit a person chatting.</summary>
public sealed class ChatClientOptions
{
    /// <summary>
    /// The longest line accepted from the server. Larger than the server's own input limit because a
    /// <c>welcome</c> or <c>users</c> answer lists every user (10,000 names fit). Longer lines are skipped.
    /// </summary>
    public int MaxLineBytes { get; set; } = 1024 * 1024;

    /// <summary>The longest request line the server accepts (8 KiB unless the server was configured otherwise), without the newline.</summary>
    public int MaxRequestBytes { get; set; } = 8 * 1024;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Events waiting to be read from <see cref="ChatClient.Events"/>. When full, the client stops reading
    /// the socket, so a consumer that never reads slows the server's sending to this client, not memory.
    /// </summary>
    public int EventCapacity { get; set; } = 10_000;

    /// <summary>Measures ping round trips and stamps events that arrive without a timestamp.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Connect with TLS (the server's --tls-port).</summary>
    public bool Tls { get; set; }

    /// <summary>Accept a certificate that does not validate (self-signed development certificates); check the fingerprint instead.</summary>
    public bool AllowUntrustedCertificate { get; set; }

    /// <summary>Accept a certificate that does not validate only if its SHA-256 fingerprint is this one (hex, colons optional).</summary>
    public string? PinnedFingerprint { get; set; }
}
