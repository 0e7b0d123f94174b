namespace Parley.Protocol.Events;

/// <summary>An announcement from the server or its operator (JSON type <c>server</c>).</summary>
public sealed record ServerNoticeEvent(string Message, DateTimeOffset Timestamp) : ServerEvent;
