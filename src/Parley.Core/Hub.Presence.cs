using System.Globalization;
using Parley.Protocol.Events;

namespace Parley.Core;

/// <summary>
/// Presence in large rooms. Telling every member about every join makes a room of N cost N² notices as it
/// fills, and listing every name in every welcome costs N² bytes; so from <see cref="HubOptions.LargeRoom"/>
/// members on, joins and leaves are counted and announced as one <see cref="PresenceEvent"/> per
/// <see cref="HubOptions.PresenceInterval"/>, and member lists come in pages of <see cref="HubOptions.LargeRoom"/> names.
/// </summary>
public sealed partial class Hub
{
    internal bool IsMember(Room room, Session session)
    {
        lock (_gate)
        {
            return room.Members.Contains(session);
        }
    }

    /// <summary>The answer to <c>/who [PAGE]</c>: everyone online, one page at a time in a large room.</summary>
    internal void Who(Session session, int page)
    {
        lock (_gate)
        {
            session.Send(Frame(UserPageLocked(_general, page)));
        }
    }

    // A join or leave: told at once in a small room, counted towards the next summary in a large one.
    private void AnnouncePresenceLocked(Room room, SystemEvent notice)
    {
        if (Options.LargeRoom <= 0 || room.Members.Count < Options.LargeRoom)
        {
            var frame = Frame(notice);
            foreach (var member in room.Members.Sessions)
            {
                member.Send(frame);
            }

            return;
        }

        if (notice.Event == "joined")
        {
            room.UnannouncedJoins++;
        }
        else
        {
            room.UnannouncedLeaves++;
        }

        room.PresenceTimer ??= Time.CreateTimer(
            static state =>
            {
                var (hub, room) = ((Hub, Room))state!;
                hub.FlushPresence(room);
            },
            (this, room),
            Options.PresenceInterval,
            Timeout.InfiniteTimeSpan);
    }

    private void FlushPresence(Room room)
    {
        lock (_gate)
        {
            room.PresenceTimer?.Dispose();
            room.PresenceTimer = null;
            var (joined, left) = (room.UnannouncedJoins, room.UnannouncedLeaves);
            room.UnannouncedJoins = room.UnannouncedLeaves = 0;
            if (_stopping || (joined == 0 && left == 0))
            {
                return;
            }

            var frame = Frame(new PresenceEvent(room.Name, joined, left, room.Members.Count, PresenceMessage(joined, left, room.Members.Count), Time.GetUtcNow()));
            foreach (var member in room.Members.Sessions)
            {
                member.Send(frame);
            }
        }
    }

    private string PresenceMessage(int joined, int left, int online)
    {
        var parts = new List<string>(2);
        if (joined > 0)
        {
            parts.Add($"+{joined} joined");
        }

        if (left > 0)
        {
            parts.Add($"{left} left");
        }

        var seconds = Options.PresenceInterval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return $"{string.Join(", ", parts)} in the last {seconds} s ({online} here)";
    }

    // The names a welcome or room change lists: all of them, or the first page and the total in a large room.
    private (IReadOnlyList<string> Names, int? Count) FirstPageLocked(Room room)
    {
        var members = room.Members;
        if (Options.LargeRoom <= 0)
        {
            return (members.Names(), null);
        }

        return (members.FirstNames(Options.LargeRoom), members.Count > Options.LargeRoom ? members.Count : null);
    }

    private RoomEvent RoomChange(string what, Room room, string message)
    {
        var (names, count) = FirstPageLocked(room);
        return new RoomEvent(what, room.Name, room.Topic, names, message) { UserCount = count };
    }

    // Page numbers start at 1; one past the end answers with the last page rather than an error.
    private UsersEvent UserPageLocked(Room room, int page)
    {
        var members = room.Members;
        if (Options.LargeRoom <= 0 || members.Count <= Options.LargeRoom)
        {
            return new UsersEvent(members.Names());
        }

        var size = Options.LargeRoom;
        var pages = (members.Count + size - 1) / size;
        page = Math.Clamp(page, 1, pages);
        return new UsersEvent(members.Names((page - 1) * size, size)) { Page = page, Pages = pages, UserCount = members.Count };
    }
}
