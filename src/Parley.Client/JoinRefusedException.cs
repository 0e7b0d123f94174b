namespace Parley.Client;

/// <summary>
/// The server refused a join; <see cref="Code"/> is one of <see cref="Protocol.ErrorCodes"/>
/// (<c>username_taken</c>, <c>invalid_username</c>, ...). The connection stays open: join again with another name.
/// </summary>
public sealed class JoinRefusedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
