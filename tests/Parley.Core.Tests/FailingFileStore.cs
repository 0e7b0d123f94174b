namespace Parley.Core.Tests;

/// <summary>An in-memory store whose file catalog fails (like a full disk) once <see cref="Broken"/> is set.</summary>
internal sealed class FailingFileStore : DelegatingStore
{
    public FailingFileStore()
    {
        Files = new Catalog(this, Inner.Files);
    }

    public bool Broken { get; set; }

    public override IFileCatalog Files { get; }

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
