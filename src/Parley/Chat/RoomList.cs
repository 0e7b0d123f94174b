using Parley.Protocol.Events;

namespace Parley.Cli.Chat;

/// <summary>
/// The rooms the user is in and the one they are talking in, as the server's <c>room</c> events tell
/// it. Membership is per connection on the server, so this is what a reconnect has to rebuild.
/// </summary>
internal sealed class RoomList
{
    public const string General = "#general";

    private readonly List<string> _rooms = [General];

    public IReadOnlyList<string> Rooms => _rooms;

    public string Current { get; private set; } = General;

    public void Apply(RoomEvent e)
    {
        if (e.From is { } left && !IsGeneral(left))
        {
            _rooms.RemoveAll(r => Same(r, left));
        }

        if (e.Room.Length > 0)
        {
            Add(e.Room);
            Current = e.Room;
        }
    }

    /// <summary>Makes <paramref name="room"/> current again, if the user is still in it.</summary>
    public void ReturnTo(string room)
    {
        if (_rooms.FirstOrDefault(r => Same(r, room)) is { } found)
        {
            Current = found;
        }
    }

    public void Remove(string room)
    {
        if (IsGeneral(room))
        {
            return; // everyone is always in #general
        }

        _rooms.RemoveAll(r => Same(r, room));
        if (Same(Current, room))
        {
            Current = _rooms[^1];
        }
    }

    /// <summary>
    /// What to join after a reconnect, in order: every room but #general in the order it was joined, the
    /// current room last (each join makes its room current). Empty when only #general is left, since the
    /// server puts everyone there. #general comes last only to return to it from the other rooms.
    /// </summary>
    public IReadOnlyList<string> RejoinOrder()
    {
        if (_rooms.Count == 1)
        {
            return [];
        }

        var order = _rooms.Where(r => !IsGeneral(r) && !Same(r, Current)).ToList();
        order.Add(Current);
        return order;
    }

    public static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static bool IsGeneral(string room) => Same(room, General);

    private void Add(string room)
    {
        if (!_rooms.Any(r => Same(r, room)))
        {
            _rooms.Add(room);
        }
    }
}
