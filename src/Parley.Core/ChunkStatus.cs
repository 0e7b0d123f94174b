namespace Parley.Core;

/// <summary>The outcome of an upload request; the HTTP layer maps each to a status code.</summary>
public enum ChunkStatus
{
    Accepted,
    Complete,
    NotFound,
    WrongOffset,
    Busy,
    TooLarge,
    BadChunkHash,
    BadFileHash,
    Gone,
    Incomplete,
}
