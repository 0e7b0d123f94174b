using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core;

/// <summary>
/// A room as the hub holds it. Read and changed only under the hub's lock.
/// </summary>
internal sealed class Room(string name)
{
    public const string General = TextEventWriter.GeneralRoom;

    public string Name { get; } = name;

    public string? Topic { get; set; }

    public bool IsPrivate { get; set; }

    /// <summary>The creator: the room's operator (with admins), who may kick, invite and set the topic.</summary>
    public string? Owner { get; set; }

    public HashSet<string> Invited { get; } = new(UsernameRules.Comparer);

    public RoomMembers Members { get; } = new();

    /// <summary>Joins and leaves not yet announced: in a large room they go out as one summary (see <see cref="Hub"/> presence).</summary>
    public int UnannouncedJoins { get; set; }

    public int UnannouncedLeaves { get; set; }

    /// <summary>The pending summary's timer, while one is due.</summary>
    public ITimer? PresenceTimer { get; set; }

    /// <summary>
    /// The newest messages delivered here, as replayed to whoever joins. Kept in memory so a join replays
    /// exactly what came before its first live message, without reading the disk under the hub's lock.
    /// </summary>
    public Queue<ChatEvent> Recent { get; } = new();

    public void Remember(ChatEvent message, int keep)
    {
        Recent.Enqueue(message with { History = true });
        while (Recent.Count > keep)
        {
            Recent.Dequeue();
        }
    }

    public bool IsGeneral => string.Equals(Name, General, StringComparison.OrdinalIgnoreCase);

    public bool IsOperator(Session session) =>
        session.IsAdmin || (Owner is not null && UsernameRules.Comparer.Equals(Owner, session.Username));

    public bool CanSee(Session session) =>
        !IsPrivate || session.IsAdmin || IsOperator(session) || Invited.Contains(session.Username!) || Members.Contains(session);

    public RoomRecord ToRecord() => new(Name, Topic, IsPrivate, Owner, [.. Invited]);

    /// <summary>Why <paramref name="name"/> cannot be a room name ('#' and 1-32 name characters), or null.</summary>
    public static string? Validate(string name)
    {
        if (name.Length < 2 || name[0] != '#' || UsernameRules.Validate(name[1..]) is not null)
        {
            return $"Room names are '#' followed by 1-{UsernameRules.MaxLength} letters, digits, '_', '-' or '.'";
        }

        return null;
    }
}
