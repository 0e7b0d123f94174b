namespace Parley.Core;

/// <summary>
/// One share of a file: who sent it to whom, under which name. The bytes live once per
/// <see cref="Sha256"/>, however many times the same content is shared. <see cref="Token"/> is the
/// capability that downloads it: only the people the share was announced to have seen it.
/// </summary>
public sealed record StoredFile(
    string Id,
    string Sha256,
    string Name,
    long Size,
    string Sender,
    string? Target,
    string Token,
    DateTimeOffset SharedAt);
