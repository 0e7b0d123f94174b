using System.Runtime.InteropServices;
using Parley.Protocol;

namespace Parley.Core;

/// <summary>
/// Who is in a room: the sessions to broadcast to and their names, kept sorted. Join and leave are
/// O(1) for the sessions (swap-remove) and a binary search plus one block move for the names, so a room
/// of N costs nothing like N per join (the copy-on-write array it replaces made 15,000 joins quadratic
/// in copies and large-object garbage). Not thread-safe: only touched under the hub's lock.
/// </summary>
internal sealed class RoomMembers
{
    private readonly List<Session> _sessions = [];
    private readonly Dictionary<Session, int> _index = [];
    private readonly List<string> _names = [];

    public int Count => _sessions.Count;

    /// <summary>The members in no particular order, for a broadcast under the lock.</summary>
    public ReadOnlySpan<Session> Sessions => CollectionsMarshal.AsSpan(_sessions);

    public bool Contains(Session session) => _index.ContainsKey(session);

    public bool Add(Session session)
    {
        if (!_index.TryAdd(session, _sessions.Count))
        {
            return false;
        }

        _sessions.Add(session);
        var at = _names.BinarySearch(session.Username!, UsernameRules.Comparer);
        _names.Insert(at < 0 ? ~at : at, session.Username!);
        return true;
    }

    public bool Remove(Session session)
    {
        if (!_index.Remove(session, out var at))
        {
            return false;
        }

        // Swap the last member into the hole: order does not matter for a broadcast.
        var last = _sessions.Count - 1;
        if (at != last)
        {
            var moved = _sessions[last];
            _sessions[at] = moved;
            _index[moved] = at;
        }

        _sessions.RemoveAt(last);
        var name = _names.BinarySearch(session.Username!, UsernameRules.Comparer);
        if (name >= 0)
        {
            _names.RemoveAt(name);
        }

        // A room that emptied after a crowd gives its storage back.
        if (_sessions.Count == 0 && _sessions.Capacity > 64)
        {
            _sessions.Capacity = 0;
            _names.Capacity = 0;
            _index.TrimExcess();
        }

        return true;
    }

    /// <summary>All names, sorted ignoring case.</summary>
    public string[] Names() => [.. _names];

    /// <summary>At most <paramref name="count"/> names from position <paramref name="offset"/> of the sorted list.</summary>
    public string[] Names(int offset, int count)
    {
        offset = Math.Clamp(offset, 0, _names.Count);
        count = Math.Clamp(count, 0, _names.Count - offset);
        return _names.GetRange(offset, count).ToArray();
    }
}
