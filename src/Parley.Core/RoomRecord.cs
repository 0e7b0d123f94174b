namespace Parley.Core;

/// <summary>A room as the store keeps it (membership is per connection and is not stored).</summary>
public sealed record RoomRecord(string Name, string? Topic, bool IsPrivate, string? Owner, IReadOnlyList<string> Invited);
