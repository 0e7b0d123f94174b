namespace Parley.Client;

/// <summary>Why a <see cref="ChatClient"/> connection ended.</summary>
public enum DisconnectKind
{
    /// <summary>This client sent <c>quit</c> (the server said goodbye and closed).</summary>
    Quit,

    /// <summary>The server closed the connection on its own: shutting down, kicked, server full, login timeout.</summary>
    ClosedByServer,

    /// <summary>The network failed: reset, unreachable, or the socket broke.</summary>
    ConnectionLost,

    /// <summary>This client closed the connection without quitting (disposed).</summary>
    ClosedByClient,
}
