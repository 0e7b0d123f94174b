namespace Parley.Protocol.Events;

/// <summary>
/// Closes a run of replayed messages of one room. <see cref="Oldest"/> is the id to page back from
/// (JSON <c>history</c> request with <c>before</c>); <see cref="More"/> says whether older messages exist.
/// </summary>
public sealed record HistoryEndEvent(string Room, int Count, long Oldest, bool More) : ServerEvent;
