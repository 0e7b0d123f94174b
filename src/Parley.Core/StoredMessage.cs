namespace Parley.Core;

/// <summary>
/// One message as the store keeps it: a room message (<see cref="Room"/> set) or a private one
/// (<see cref="Target"/> set). <see cref="Pending"/> marks a private message still waiting for its
/// offline recipient. <see cref="Id"/> is 0 until the store assigns it; ids only ever grow.
/// </summary>
public sealed record StoredMessage(long Id, DateTimeOffset Timestamp, string? Room, string Sender, string? Target, string Content, string? Color)
{
    public bool Pending { get; init; }
}
