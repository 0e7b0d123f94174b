namespace Parley.Protocol.Events;

/// <summary>
/// A file someone shared, announced only once its bytes are stored and verified. <see cref="Target"/>
/// is null for a room share (announced to <see cref="Room"/>), or the recipient of a private file
/// (both parties get the event).
/// <see cref="Url"/> is absolute (for text-mode users and the console client); <see cref="Path"/> is
/// the same link relative to the web port (for the browser, which is on that origin).
/// </summary>
public sealed record FileSharedEvent(
    string Id,
    string Sender,
    string? Target,
    string Name,
    long Size,
    string Sha256,
    string Url,
    string Path,
    DateTimeOffset Timestamp) : ServerEvent
{
    public bool IsPrivate => Target is not null;

    /// <summary>The room a public share was announced in (<c>#general</c> included), like <see cref="ChatEvent.Room"/>; null when private.</summary>
    public string? Room { get; init; }
}
