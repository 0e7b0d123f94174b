namespace Parley.Protocol.Events;

/// <summary>
/// Tells one user that their current room changed: <c>joined</c> (new member), <c>switched</c> (already a
/// member), <c>parted</c> or <c>kicked</c> (then <see cref="Room"/> is the room they are now in).
/// </summary>
public sealed record RoomEvent(string Event, string Room, string? Topic, IReadOnlyList<string> Users, string Message) : ServerEvent
{
    /// <summary>Set when <see cref="Users"/> is only the first page of a large room: how many members it has.</summary>
    public int? UserCount { get; init; }

    /// <summary>
    /// For <c>parted</c> and <c>kicked</c>: the room the user is no longer in (<see cref="Room"/> is where they
    /// are now), so a client can keep its list of rooms without reading <see cref="Message"/>.
    /// </summary>
    public string? From { get; init; }
}
