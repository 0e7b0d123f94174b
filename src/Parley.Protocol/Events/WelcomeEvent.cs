namespace Parley.Protocol.Events;

/// <summary>Sent once when a join succeeds.</summary>
public sealed record WelcomeEvent(string Username, IReadOnlyList<string> Users, string? Motd) : ServerEvent;
