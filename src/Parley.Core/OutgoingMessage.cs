namespace Parley.Core;

/// <summary>
/// A message accepted from a sender and on its way through the store to its recipients: a room
/// message (<see cref="Room"/>), a private message to someone online (<see cref="Target"/>) or to a
/// registered user who is offline (<see cref="OfflineTarget"/>). Stamped and numbered by the writer.
/// </summary>
internal sealed class OutgoingMessage(Session sender, string content, string? color)
{
    public Session Sender { get; } = sender;

    public string Content { get; } = content;

    public string? Color { get; } = color;

    public Room? Room { get; init; }

    public Session? Target { get; init; }

    public string? OfflineTarget { get; init; }

    public DateTimeOffset Timestamp { get; set; }

    public long Id { get; set; }

    /// <summary>Not a message but a step to take, under the hub's lock, once everything accepted before it is delivered.</summary>
    public Action? Barrier { get; init; }

    /// <summary>A marker that keeps an event (a goodbye, a leave notice) behind the messages accepted before it.</summary>
    public static OutgoingMessage After(Session session, Action action) => new(session, string.Empty, null) { Barrier = action };

    public StoredMessage ToStored() =>
        new(0, Timestamp, Room?.Name, Sender.Username!, Target?.Username ?? OfflineTarget, Content, Color) { Pending = OfflineTarget is not null };
}
