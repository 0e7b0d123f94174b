namespace Parley.Core;

/// <summary>
/// Where messages, rooms, accounts, bans and file metadata live between restarts. Calls are synchronous and may
/// touch the disk, so the hub never makes them under its lock; <see cref="Append"/> is called by one
/// writer at a time (the hub's group-commit loop) with whole batches.
/// </summary>
public interface IMessageStore : IDisposable
{
    /// <summary>
    /// True when nothing touches a disk (tests, <c>--store memory</c>): the hub then stores and delivers
    /// each message inline instead of through its group-commit writer.
    /// </summary>
    bool IsInMemory { get; }

    /// <summary>Stores the batch in one transaction and returns the assigned ids, in order. Durable on return.</summary>
    IReadOnlyList<long> Append(IReadOnlyList<StoredMessage> batch);

    /// <summary>Up to <paramref name="limit"/> messages of a room with an id below <paramref name="beforeId"/> (if given), oldest first.</summary>
    IReadOnlyList<StoredMessage> History(string room, long? beforeId, int limit);

    /// <summary>Room messages matching every word of <paramref name="words"/>, in the given rooms, newest first.</summary>
    IReadOnlyList<StoredMessage> Search(IReadOnlyList<string> words, IReadOnlyCollection<string> rooms, int limit);

    /// <summary>Private messages waiting for <paramref name="target"/>, oldest first; they are no longer pending afterwards.</summary>
    IReadOnlyList<StoredMessage> TakePending(string target);

    /// <summary>Deletes messages older than <paramref name="olderThan"/> and all but the newest <paramref name="keep"/>; returns how many went.</summary>
    int Prune(DateTimeOffset? olderThan, int? keep);

    IReadOnlyList<RoomRecord> LoadRooms();

    void SaveRoom(RoomRecord room);

    Account? FindAccount(string name);

    void SaveAccount(Account account);

    IReadOnlyList<BanRecord> LoadBans();

    void SaveBan(BanRecord ban);

    void RemoveBan(string name);

    /// <summary>Which files have been shared (the metadata; the bytes stay in DATA/files/blobs).</summary>
    IFileCatalog Files { get; }
}
