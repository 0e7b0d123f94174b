namespace Parley.Protocol.Events;

/// <summary>
/// The server's answer to a <c>file_offer</c>: where to send the bytes (<see cref="UploadUrl"/> carries
/// the capability token) and the largest chunk it takes per request. Only the offering client gets it.
/// </summary>
public sealed record FileUploadEvent(string Id, string Name, long Size, string UploadUrl, string UploadPath, int ChunkSize) : ServerEvent
{
    /// <summary>
    /// The server already holds the offered SHA-256's bytes: the share is published at once and nothing
    /// is to be uploaded. <see cref="Id"/> is then the share's id and <see cref="Url"/>/<see cref="Path"/>
    /// its download link; the upload fields are empty.
    /// </summary>
    public bool Complete { get; init; }

    public string? Url { get; init; }

    public string? Path { get; init; }
}
