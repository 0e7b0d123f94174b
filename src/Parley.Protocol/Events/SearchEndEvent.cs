namespace Parley.Protocol.Events;

/// <summary>Closes the results of a search (the results themselves are history messages, newest first).</summary>
public sealed record SearchEndEvent(string Query, int Count) : ServerEvent;
