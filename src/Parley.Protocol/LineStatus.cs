namespace Parley.Protocol;

public enum LineStatus
{
    /// <summary>No complete line yet; nothing was consumed.</summary>
    NeedMore,

    /// <summary>A complete line (without its terminator) was read and consumed.</summary>
    Line,

    /// <summary>A line exceeded the limit. Its bytes are consumed and discarded up to the next newline.</summary>
    TooLong,
}
