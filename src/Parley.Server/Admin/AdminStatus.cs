namespace Parley.Server.Admin;

/// <summary>The server at a glance, as <c>GET /api/status</c> reports it.</summary>
internal sealed record AdminStatus(
    DateTimeOffset StartedAt,
    long UptimeSeconds,
    int Connections,
    int Users,
    int Pending,
    long MessagesTotal,
    double MessagesPerSecond,
    bool ApproveJoins);
