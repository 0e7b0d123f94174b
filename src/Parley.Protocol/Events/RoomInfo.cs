namespace Parley.Protocol.Events;

/// <summary>One line of <c>/rooms</c>.</summary>
public sealed record RoomInfo(string Name, int Members, string? Topic, bool IsPrivate);
