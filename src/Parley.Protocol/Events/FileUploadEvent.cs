namespace Parley.Protocol.Events;

/// <summary>
/// The server's answer to a <c>file_offer</c>: where to send the bytes (<see cref="UploadUrl"/> carries
/// the capability token) and the largest chunk it takes per request. Only the offering client gets it.
/// </summary>
public sealed record FileUploadEvent(string Id, string Name, long Size, string UploadUrl, string UploadPath, int ChunkSize) : ServerEvent;
