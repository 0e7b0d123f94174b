namespace Parley.Protocol.Events;

/// <summary>A private message, as its recipient sees it.</summary>
public sealed record PrivateMessageEvent(string Sender, string Content, string? Color, DateTimeOffset Timestamp) : ServerEvent;
