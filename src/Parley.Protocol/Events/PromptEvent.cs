namespace Parley.Protocol.Events;

/// <summary>A question to a person at a text-mode terminal (for example, asking for a name).</summary>
public sealed record PromptEvent(string Message) : ServerEvent;
