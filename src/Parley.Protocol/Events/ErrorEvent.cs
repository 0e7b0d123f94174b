namespace Parley.Protocol.Events;

/// <summary>A request was refused; <see cref="Code"/> is one of <see cref="ErrorCodes"/>.</summary>
public sealed record ErrorEvent(string Code, string Message) : ServerEvent
{
    public static ErrorEvent From(ProtocolError error) => new(error.Code, error.Message);
}
