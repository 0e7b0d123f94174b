namespace Parley.Protocol.Events;

/// <summary>
/// The last line before the server closes a connection on purpose. <see cref="Reason"/> is a stable
/// word for programs (<c>quit</c>, <c>kicked</c>) so clients can decide whether to reconnect.
/// </summary>
public sealed record GoodbyeEvent(string Message, string? Reason = null) : ServerEvent;
