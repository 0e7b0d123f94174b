namespace Parley.Protocol.Events;

/// <summary>The answer to <c>/help</c>: every command the user may type.</summary>
public sealed record HelpEvent(IReadOnlyList<HelpEntry> Commands) : ServerEvent;
