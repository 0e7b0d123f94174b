namespace Parley.Protocol.Events;

/// <summary>Tells the sender of a private message that it was delivered.</summary>
public sealed record PrivateConfirmationEvent(string Target, string Content, string? Color, bool Delivered, DateTimeOffset Timestamp) : ServerEvent
{
    /// <summary>The recipient is a registered user who is offline: the message is stored and delivered at their next login.</summary>
    public bool Later { get; init; }
}
