namespace Parley.Protocol.Events;

/// <summary>A public message, delivered to everyone including its sender.</summary>
public sealed record ChatEvent(string Username, string Content, string? Color, DateTimeOffset Timestamp) : ServerEvent;
