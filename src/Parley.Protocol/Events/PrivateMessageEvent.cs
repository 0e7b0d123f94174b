namespace Parley.Protocol.Events;

/// <summary>A private message, as its recipient sees it.</summary>
public sealed record PrivateMessageEvent(string Sender, string Content, string? Color, DateTimeOffset Timestamp) : ServerEvent
{
    /// <summary>Sent while the recipient was offline and delivered from the store at their next login.</summary>
    public bool Offline { get; init; }
}
