namespace Parley.Protocol.Events;

/// <summary>
/// A <c>file_offer</c> the server turned down (too large, over quota, bad name, unknown target), as its
/// own type rather than a generic error, so a client can tell which of its offers failed.
/// </summary>
public sealed record FileRefusedEvent(string Name, string Code, string Message) : ServerEvent;
