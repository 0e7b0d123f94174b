namespace Parley.Core;

/// <summary>
/// One share of a file: who sent it where, under which name. The bytes live once per
/// <see cref="Sha256"/>, however many times the same content is shared. <see cref="Token"/> is the
/// capability that downloads it: only the people the share was announced to have seen it.
/// <see cref="Room"/> is where a public share was announced, <see cref="Target"/> the recipient of a
/// private one; both are null only for shares imported from the old catalog.json, which kept no room.
/// </summary>
public sealed record StoredFile(
    string Id,
    string Sha256,
    string Name,
    long Size,
    string Sender,
    string? Target,
    string Token,
    DateTimeOffset SharedAt)
{
    public string? Room { get; init; }
}
