namespace Parley.Protocol.Events;

/// <summary>A notice about a user (<c>joined</c>, <c>left</c>), shown to everyone.</summary>
public sealed record SystemEvent(string Event, string Username, string Message, DateTimeOffset Timestamp) : ServerEvent;
