namespace Parley.Client;

/// <summary>How a connection ended, with the server's last words when it gave any (a goodbye, a shutdown notice, a refusal).</summary>
public sealed record Disconnection(DisconnectKind Kind, string Message);
