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

    /// <summary>The whole file arrived but the store could not record the share: discarded, nothing announced.</summary>
    StoreFailed,
}
