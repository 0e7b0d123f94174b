namespace Parley.Core;

/// <summary>The file catalog of <see cref="MemoryMessageStore"/>: forgotten at exit like everything else in it.</summary>
public sealed class MemoryFileCatalog : IFileCatalog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredFile> _files = new(StringComparer.Ordinal);

    public void Add(StoredFile file)
    {
        lock (_gate)
        {
            _files[file.Id] = file;
        }
    }

    public StoredFile? Find(string id)
    {
        lock (_gate)
        {
            return _files.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<StoredFile> WithContent(string sha256)
    {
        lock (_gate)
        {
            return [.. _files.Values.Where(f => f.Sha256 == sha256)];
        }
    }

    public IReadOnlyList<StoredFile> SharedBefore(DateTimeOffset cutoff)
    {
        lock (_gate)
        {
            return [.. _files.Values.Where(f => f.SharedAt <= cutoff)];
        }
    }

    public void Remove(IReadOnlyCollection<string> ids)
    {
        lock (_gate)
        {
            foreach (var id in ids)
            {
                _files.Remove(id);
            }
        }
    }

    public long ContentBytes()
    {
        lock (_gate)
        {
            return _files.Values.DistinctBy(f => f.Sha256).Sum(f => f.Size);
        }
    }
}
