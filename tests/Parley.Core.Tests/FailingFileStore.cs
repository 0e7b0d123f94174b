namespace Parley.Core.Tests;

/// <summary>An in-memory store whose file catalog fails (like a full disk) once <see cref="Broken"/> is set.</summary>
internal sealed class FailingFileStore : IMessageStore
{
    private readonly MemoryMessageStore _inner = new();

    public FailingFileStore()
    {
        Files = new Catalog(this, _inner.Files);
    }

    public bool Broken { get; set; }

    public bool IsInMemory => true;

    public IFileCatalog Files { get; }

    public IReadOnlyList<long> Append(IReadOnlyList<StoredMessage> batch) => _inner.Append(batch);

    public IReadOnlyList<StoredMessage> History(string room, long? beforeId, int limit) => _inner.History(room, beforeId, limit);

    public IReadOnlyList<StoredMessage> Search(IReadOnlyList<string> words, IReadOnlyCollection<string> rooms, int limit) => _inner.Search(words, rooms, limit);

    public IReadOnlyList<StoredMessage> TakePending(string target) => _inner.TakePending(target);

    public int Prune(DateTimeOffset? olderThan, int? keep) => _inner.Prune(olderThan, keep);

    public IReadOnlyList<RoomRecord> LoadRooms() => _inner.LoadRooms();

    public void SaveRoom(RoomRecord room) => _inner.SaveRoom(room);

    public Account? FindAccount(string name) => _inner.FindAccount(name);

    public void SaveAccount(Account account) => _inner.SaveAccount(account);

    public IReadOnlyList<BanRecord> LoadBans() => _inner.LoadBans();

    public void SaveBan(BanRecord ban) => _inner.SaveBan(ban);

    public void RemoveBan(string name) => _inner.RemoveBan(name);

    public void Dispose() => _inner.Dispose();

    private sealed class Catalog(FailingFileStore store, IFileCatalog inner) : IFileCatalog
    {
        public void Add(StoredFile file) => Check().Add(file);

        public StoredFile? Find(string id) => Check().Find(id);

        public IReadOnlyList<StoredFile> WithContent(string sha256) => Check().WithContent(sha256);

        public IReadOnlyList<StoredFile> SharedBefore(DateTimeOffset cutoff) => Check().SharedBefore(cutoff);

        public void Remove(IReadOnlyCollection<string> ids) => Check().Remove(ids);

        public long ContentBytes() => Check().ContentBytes();

        private IFileCatalog Check() => store.Broken ? throw new IOException("No space left on device") : inner;
    }
}
