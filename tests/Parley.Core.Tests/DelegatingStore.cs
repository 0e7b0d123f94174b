namespace Parley.Core.Tests;

/// <summary>
/// A store that hands every call to an in-memory one; test stores derive from it and override only the calls
/// they hold back or break.
/// </summary>
internal abstract class DelegatingStore : IMessageStore
{
    /// <summary>What the store holds, bypassing whatever the derived store does.</summary>
    public MemoryMessageStore Inner { get; } = new();

    public virtual bool IsInMemory => true;

    public virtual IFileCatalog Files => Inner.Files;

    public virtual IReadOnlyList<long> Append(IReadOnlyList<StoredMessage> batch) => Inner.Append(batch);

    public virtual IReadOnlyList<StoredMessage> History(string room, long? beforeId, int limit) => Inner.History(room, beforeId, limit);

    public virtual IReadOnlyList<StoredMessage> Search(IReadOnlyList<string> words, IReadOnlyCollection<string> rooms, int limit) => Inner.Search(words, rooms, limit);

    public virtual IReadOnlyList<StoredMessage> TakePending(string target) => Inner.TakePending(target);

    public virtual int Prune(DateTimeOffset? olderThan, int? keep) => Inner.Prune(olderThan, keep);

    public virtual IReadOnlyList<RoomRecord> LoadRooms() => Inner.LoadRooms();

    public virtual void SaveRoom(RoomRecord room) => Inner.SaveRoom(room);

    public virtual Account? FindAccount(string name) => Inner.FindAccount(name);

    public virtual void SaveAccount(Account account) => Inner.SaveAccount(account);

    public virtual IReadOnlyList<BanRecord> LoadBans() => Inner.LoadBans();

    public virtual void SaveBan(BanRecord ban) => Inner.SaveBan(ban);

    public virtual void RemoveBan(string name) => Inner.RemoveBan(name);

    public void Dispose() => Inner.Dispose();
}
