namespace Parley.Protocol.Events;

/// <summary>
/// The join request is valid but waits for an operator (the server runs with approval on). The name
/// is reserved meanwhile; the outcome is a <see cref="WelcomeEvent"/> or an error with code
/// <see cref="ErrorCodes.JoinRejected"/> followed by the close.
/// </summary>
public sealed record JoinPendingEvent(string Username, string Message) : ServerEvent;
