namespace Parley.Protocol.Events;

/// <summary>The answer to <c>/ping</c>.</summary>
public sealed record PongEvent : ServerEvent
{
    public static PongEvent Instance { get; } = new();
}
