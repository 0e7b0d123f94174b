namespace Parley.Core;

// The rooms a session is in, changed only under the hub's lock. Most sessions are in one room for their whole
// life, and one room needs no list: a list and its array would cost every idle connection 64 bytes. Once there
// are two or more, the list holds them all, in the order they were joined.
public sealed partial class Session
{
    private Room? _room;
    private List<Room>? _rooms;

    internal int RoomCount => _rooms?.Count ?? (_room is null ? 0 : 1);

    /// <summary>The room joined most recently; null when in none.</summary>
    internal Room? LastJoinedRoom => _rooms is { } rooms ? rooms[^1] : _room;

    /// <summary>The rooms in the order they were joined: 0 to <see cref="RoomCount"/> - 1.</summary>
    internal Room RoomAt(int index) => _rooms is { } rooms ? rooms[index]
        : index == 0 && _room is { } room ? room
        : throw new ArgumentOutOfRangeException(nameof(index));

    internal void AddRoom(Room room)
    {
        if (_rooms is not null)
        {
            _rooms.Add(room);
        }
        else if (_room is null)
        {
            _room = room;
        }
        else
        {
            _rooms = [_room, room];
            _room = null;
        }
    }

    internal void RemoveRoom(Room room)
    {
        if (_rooms is null)
        {
            if (_room == room)
            {
                _room = null;
            }

            return;
        }

        _rooms.Remove(room);
        if (_rooms.Count == 1)
        {
            // Back to one room: the list would only be kept for a second room that may never come.
            _room = _rooms[0];
            _rooms = null;
        }
    }

    /// <summary>The room of that name (any case) the session is in; null when it is in none.</summary>
    internal Room? FindRoom(string name)
    {
        for (var i = 0; i < RoomCount; i++)
        {
            var room = RoomAt(i);
            if (string.Equals(room.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return room;
            }
        }

        return null;
    }

    internal void ClearRooms()
    {
        _room = null;
        _rooms = null;
    }
}
