namespace Parley.Bench;

internal enum PayloadStatus
{
    /// <summary>A well-formed message of this run.</summary>
    Ours,

    /// <summary>A well-formed message of another run on the same server.</summary>
    Foreign,

    /// <summary>Carries the marker but is cut, spliced, of the wrong length or badly padded.</summary>
    Garbled,
}
