namespace Parley.Protocol;

/// <summary>A client input the protocol layer rejected, with a stable code and a human sentence.</summary>
public sealed record ProtocolError(string Code, string Message);
