namespace Parley.Protocol;

/// <summary>
/// One JSON-lines request from a client. Only <see cref="Type"/> is always present; the other fields
/// are those the request types use (unknown fields are ignored so clients can evolve).
/// </summary>
public sealed record ClientRequest(string Type)
{
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string? Content { get; init; }
    public string? Target { get; init; }
    public string? Color { get; init; }
    public string? Room { get; init; }
    public string? Line { get; init; }

    /// <summary>A file's name (<c>file_offer</c>).</summary>
    public string? Name { get; init; }

    /// <summary>A file's size in bytes (<c>file_offer</c>); the only numeric field.</summary>
    public long? Size { get; init; }

    /// <summary>A file's SHA-256, lower-case hex (<c>file_offer</c>, optional).</summary>
    public string? Sha256 { get; init; }

    /// <summary><c>search</c>: the words to look for.</summary>
    public string? Query { get; init; }

    /// <summary><c>history</c>: only messages with a smaller id (paging back).</summary>
    public long? Before { get; init; }

    /// <summary><c>history</c>/<c>search</c>: how many messages at most.</summary>
    public int? Limit { get; init; }

    /// <summary><c>who</c>: which page of a large room's member list (1-based).</summary>
    public int? Page { get; init; }
}
