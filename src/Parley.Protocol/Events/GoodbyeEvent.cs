namespace Parley.Protocol.Events;

/// <summary>The last line before the server closes a connection on purpose.</summary>
public sealed record GoodbyeEvent(string Message) : ServerEvent;
