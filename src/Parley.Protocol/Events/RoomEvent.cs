namespace Parley.Protocol.Events;

/// <summary>
/// Tells one user that their current room changed: <c>joined</c> (new member), <c>switched</c> (already a
/// member), <c>parted</c> or <c>kicked</c> (then <see cref="Room"/> is the room they are now in).
/// </summary>
public sealed record RoomEvent(string Event, string Room, string? Topic, IReadOnlyList<string> Users, string Message) : ServerEvent;
