namespace Parley.Protocol.Events;

/// <summary>A reply meant only for the one user who asked (e.g. "Registered alice").</summary>
public sealed record InfoEvent(string Message) : ServerEvent;
