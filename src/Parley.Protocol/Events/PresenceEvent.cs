namespace Parley.Protocol.Events;

/// <summary>
/// In a large room, the joins and leaves of the last few seconds in one notice, instead of one notice per
/// user to every member (which makes a room of N cost N² notices as it fills).
/// </summary>
public sealed record PresenceEvent(string Room, int Joined, int Left, int Online, string Message, DateTimeOffset Timestamp) : ServerEvent;
