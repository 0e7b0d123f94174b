namespace Parley.Protocol.Events;

/// <summary>Sent once when a join succeeds.</summary>
public sealed record WelcomeEvent(string Username, IReadOnlyList<string> Users, string? Motd) : ServerEvent
{
    /// <summary>The room the user starts in (<c>#general</c>).</summary>
    public string? Room { get; init; }

    /// <summary>Whether the name is a registered account (logged in with its password).</summary>
    public bool Registered { get; init; }

    /// <summary>Set when <see cref="Users"/> is only the first page of a large room: how many are online in all.</summary>
    public int? UserCount { get; init; }
}
