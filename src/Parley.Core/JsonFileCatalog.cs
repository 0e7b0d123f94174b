using System.Text.Json;

namespace Parley.Core;

/// <summary>
/// The file catalog as one JSON file (DATA/files/catalog.json), rewritten atomically on each change.
/// Fine for the hundreds of shares a chat sees between retention sweeps; the SQLite message store
/// should take this over.
/// </summary>
public sealed class JsonFileCatalog : IFileCatalog
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly Dictionary<string, StoredFile> _files = new(StringComparer.Ordinal);

    public JsonFileCatalog(string path)
    {
        _path = path;
        if (File.Exists(path))
        {
            try
            {
                foreach (var file in JsonSerializer.Deserialize<List<StoredFile>>(File.ReadAllText(path), JsonOptions) ?? [])
                {
                    _files[file.Id] = file;
                }
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path} is not a valid file catalog: {ex.Message}", ex);
            }
        }
    }

    public IReadOnlyList<StoredFile> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _files.Values];
            }
        }
    }

    public StoredFile? Find(string id)
    {
        lock (_gate)
        {
            return _files.GetValueOrDefault(id);
        }
    }

    public void Add(StoredFile file)
    {
        lock (_gate)
        {
            _files[file.Id] = file;
            Save();
        }
    }

    public void Remove(IReadOnlyCollection<string> ids)
    {
        lock (_gate)
        {
            var changed = false;
            foreach (var id in ids)
            {
                changed |= _files.Remove(id);
            }

            if (changed)
            {
                Save();
            }
        }
    }

    // A crash mid-write must not lose the catalog: write aside, then rename over.
    private void Save()
    {
        var temp = _path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(_files.Values.ToList(), JsonOptions));
        File.Move(temp, _path, overwrite: true);
    }
}
