namespace Parley.Core;

/// <summary>
/// File metadata: which shares exist. The bytes are not its business (see <see cref="FileTransfers"/>).
/// A port like the message store; <see cref="JsonFileCatalog"/> is the stand-in until that store
/// holds file rows too.
/// </summary>
public interface IFileCatalog
{
    IReadOnlyList<StoredFile> All { get; }

    StoredFile? Find(string id);

    void Add(StoredFile file);

    void Remove(IReadOnlyCollection<string> ids);
}
