namespace Parley.Core;

/// <summary>
/// File metadata: which shares exist. It belongs to the message store (<see cref="IMessageStore.Files"/>),
/// so shares survive restarts and are backed up with everything else; the bytes are not its business
/// (see <see cref="FileTransfers"/>). Calls may touch the disk.
/// </summary>
public interface IFileCatalog
{
    /// <summary>Records a share. Durable on return.</summary>
    void Add(StoredFile file);

    StoredFile? Find(string id);

    /// <summary>Every share of the content with this SHA-256 (lower-case hex).</summary>
    IReadOnlyList<StoredFile> WithContent(string sha256);

    /// <summary>Shares made at or before <paramref name="cutoff"/> (for retention).</summary>
    IReadOnlyList<StoredFile> SharedBefore(DateTimeOffset cutoff);

    void Remove(IReadOnlyCollection<string> ids);

    /// <summary>Bytes of the distinct contents shared: what the blobs take on disk, for the quota.</summary>
    long ContentBytes();
}
