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
    long QueuedBytes);
