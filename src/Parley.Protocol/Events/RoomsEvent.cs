namespace Parley.Protocol.Events;

/// <summary>The answer to <c>/rooms</c>: the rooms the user can see.</summary>
public sealed record RoomsEvent(IReadOnlyList<RoomInfo> Rooms) : ServerEvent;
