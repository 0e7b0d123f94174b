namespace Parley.Protocol.Events;

/// <summary>A public message, delivered to everyone in its room including its sender.</summary>
public sealed record ChatEvent(string Username, string Content, string? Color, DateTimeOffset Timestamp) : ServerEvent
{
    /// <summary>The room it was said in; null only for events built before rooms existed (treated as #general).</summary>
    public string? Room { get; init; }

    /// <summary>The store's id, for paging history (<c>before</c>); 0 when the message was never stored.</summary>
    public long Id { get; init; }

    /// <summary>Replayed from the store (history or search result), not said just now.</summary>
    public bool History { get; init; }
}
