namespace Parley.Protocol.Events;

/// <summary>A notice about a user (<c>joined</c>, <c>left</c>, <c>topic</c>, <c>kicked</c>), shown to the room.</summary>
public sealed record SystemEvent(string Event, string Username, string Message, DateTimeOffset Timestamp) : ServerEvent
{
    /// <summary>The room it concerns; null for connecting to and leaving the chat (which everyone sees).</summary>
    public string? Room { get; init; }
}
