namespace Parley.Core;

/// <summary>File sharing policies. Defaults match docs/protocol.md and the README's options table.</summary>
public sealed class FileTransferOptions
{
    /// <summary>Where blobs, upload parts and the catalog live (normally DATA/files).</summary>
    public string Directory { get; set; } = "data/files";

    public long MaxFileSize { get; set; } = 100L * 1024 * 1024;

    /// <summary>Total bytes of stored files plus uploads in progress; an offer that would pass it is refused.</summary>
    public long QuotaBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>
    /// Uploads one user may have in progress at once; each reserves its size of the quota until it finishes or is
    /// abandoned, so without a cap one user could hold the whole quota for everyone. 0: no cap.
    /// </summary>
    public int MaxUploadsPerUser { get; set; } = 4;

    /// <summary>Shared files are deleted this long after they were shared.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>An upload that receives nothing for this long is abandoned and its part deleted.</summary>
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The chunk size the server asks for; chunks up to <see cref="MaxChunkSize"/> are accepted.</summary>
    public int ChunkSize { get; set; } = 1024 * 1024;

    public int MaxChunkSize { get; set; } = 8 * 1024 * 1024;

    /// <summary>How often abandoned uploads and expired files are looked for.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
