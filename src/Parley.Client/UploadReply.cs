using System.Text.Json.Serialization;

namespace Parley.Client;

/// <summary>The server's answer to an upload request: where the upload stands, and whether it is complete.</summary>
public sealed record UploadReply(
    [property: JsonPropertyName("offset")] long Offset,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("complete")] bool Complete,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("url")] string? Url);
