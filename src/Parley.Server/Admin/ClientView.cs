namespace Parley.Server.Admin;

/// <summary>One connection as <c>GET /api/clients</c> and <c>GET /api/pending</c> report it.</summary>
internal sealed record ClientView(
    long Id,
    string? Username,
    string Address,
    string Transport,
    string Protocol,
    string State,
    DateTimeOffset ConnectedAt,
    long MessagesSent);
