namespace Parley.Protocol.Events;

/// <summary>The answer to <c>/who</c>.</summary>
public sealed record UsersEvent(IReadOnlyList<string> Users) : ServerEvent;
