namespace Parley.Core;

/// <summary>
/// What became of one uploaded chunk. <see cref="Offset"/> is where the next chunk must start (the
/// client resumes from it after any failure); <see cref="File"/> is set once the upload is complete.
/// </summary>
public sealed record ChunkResult(ChunkStatus Status, long Offset, long Size, string? Message = null, StoredFile? File = null, string? Url = null);
