namespace Parley.Protocol.Events;

/// <summary>Tells the sender of a private message that it was delivered.</summary>
public sealed record PrivateConfirmationEvent(string Target, string Content, string? Color, bool Delivered, DateTimeOffset Timestamp) : ServerEvent;
