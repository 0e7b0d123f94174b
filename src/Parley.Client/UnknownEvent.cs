using Parley.Protocol.Events;

namespace Parley.Client;

/// <summary>
/// A server message of a type this client does not know yet (the protocol grows by adding types).
/// <see cref="Json"/> is the whole line, for callers that want to look inside.
/// </summary>
public sealed record UnknownEvent(string Type, string Json) : ServerEvent;
