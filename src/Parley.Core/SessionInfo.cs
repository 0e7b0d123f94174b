using Parley.Protocol;

namespace Parley.Core;

/// <summary>A read-only view of one connected client, for operators.</summary>
public sealed record SessionInfo(
    long Id,
    string? Username,
    string RemoteAddress,
    string Transport,
    DateTimeOffset ConnectedAt,
    long MessagesSent,
    SessionState State,
    long QueuedBytes)
{
    /// <summary>Text lines or JSON (a TCP connection's is known after its first byte).</summary>
    public ProtocolKind Protocol { get; init; }
}
