namespace Parley.Core.Tests;

/// <summary>A memory store whose writes fail, as on a full disk, while <see cref="Failing"/> is set; reads keep working.</summary>
internal sealed class FailingStore : IMessageStore
{
    private readonly MemoryMessageStore _inner = new();

    public bool Failing { get; set; }

    public bool IsInMemory => true;

    public IFileCatalog Files => _inner.Files;

    public IReadOnlyList<long> Append(IReadOnlyList<StoredMessage> batch) => Write(() => _inner.Append(batch));

    public IReadOnlyList<StoredMessage> History(string room, long? beforeId, int limit) => _inner.History(room, beforeId, limit);

    public IReadOnlyList<StoredMessage> Search(IReadOnlyList<string> words, IReadOnlyCollection<string> rooms, int limit) => _inner.Search(words, rooms, limit);

    public IReadOnlyList<StoredMessage> TakePending(string target) => Write(() => _inner.TakePending(target));

    public int Prune(DateTimeOffset? olderThan, int? keep) => Write(() => _inner.Prune(olderThan, keep));

    public IReadOnlyList<RoomRecord> LoadRooms() => _inner.LoadRooms();

    public void SaveRoom(RoomRecord room) => Write(() => _inner.SaveRoom(room));

    public Account? FindAccount(string name) => _inner.FindAccount(name);

    public void SaveAccount(Account account) => Write(() => _inner.SaveAccount(account));

    public IReadOnlyList<BanRecord> LoadBans() => _inner.LoadBans();

    public void SaveBan(BanRecord ban) => Write(() => _inner.SaveBan(ban));

    public void RemoveBan(string name) => Write(() => _inner.RemoveBan(name));

    public void Dispose() => _inner.Dispose();

    private T Write<T>(Func<T> write) => Failing ? throw new IOException("No space left on device") : write();

    private void Write(Action write) => Write(() =>
    {
        write();
        return 0;
    });
}
