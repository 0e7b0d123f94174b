namespace Parley.Protocol;

/// <summary>How a connection speaks: chosen from its first byte (<c>{</c> means JSON lines).</summary>
public enum ProtocolKind
{
    Text,
    Json,
}
