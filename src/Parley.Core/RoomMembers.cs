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

    // The first page of names as last handed out (events keep it, so it is replaced, never changed): every
    // joiner's welcome carries it, and in a large room a join rarely lands on the first page.
    private string[]? _firstPage;

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
        at = at < 0 ? ~at : at;
        _names.Insert(at, session.Username!);
        NamesChangedAt(at);
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
            NamesChangedAt(name);
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

    // A name went in or out at this position: a cached first page that reaches it is stale. (A page shorter than
    // the count asked for holds every name; its length no longer matches once one comes or goes.)
    private void NamesChangedAt(int position)
    {
        if (_firstPage is not null && position < _firstPage.Length)
        {
            _firstPage = null;
        }
    }

    /// <summary>All names, sorted ignoring case.</summary>
    public string[] Names() => [.. _names];

    /// <summary>The first <paramref name="count"/> names (all, if there are fewer); the same array while they stay the same.</summary>
    public string[] FirstNames(int count)
    {
        count = Math.Clamp(count, 0, _names.Count);
        if (_firstPage is null || _firstPage.Length != count)
        {
            _firstPage = _names.GetRange(0, count).ToArray();
        }

        return _firstPage;
    }

    /// <summary>At most <paramref name="count"/> names from position <paramref name="offset"/> of the sorted list.</summary>
    public string[] Names(int offset, int count)
    {
        offset = Math.Clamp(offset, 0, _names.Count);
        count = Math.Clamp(count, 0, _names.Count - offset);
        return _names.GetRange(offset, count).ToArray();
    }
}
