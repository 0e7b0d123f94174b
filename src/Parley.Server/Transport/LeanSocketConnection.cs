using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Parley.Server.Transport;

/// <summary>
/// One accepted chat connection of the lean transport: the socket, its input and output (no pipes), and
/// the connection's features, held in fields rather than a dictionary. See <see cref="LeanSocketTransportFactory"/>.
/// </summary>
internal sealed partial class LeanSocketConnection : ConnectionContext, IDuplexPipe
{
    private static long s_lastId;

    private readonly SocketInput _input;
    private readonly SocketOutput _output;
    private readonly long _id;
    private string? _connectionId;
    private IDuplexPipe _transport;
    private IDictionary<object, object?>? _items;
    private CancellationTokenSource? _closed;
    private ConnectionAbortedException? _abortReason;
    private int _shutdown;

    public LeanSocketConnection(Socket socket, SocketSenderPool senders, int maxBufferedInput, ReadinessLoop? readiness)
    {
        Socket = socket;
        _id = Interlocked.Increment(ref s_lastId);
        _input = new SocketInput(this, maxBufferedInput, readiness);
        _output = new SocketOutput(this, senders);
        _transport = this;

        // The socket caches these objects; reading them now (while it is open) keeps one copy of each.
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
    }

    public Socket Socket { get; }

    public override string ConnectionId
    {
        get => _connectionId ??= "P" + _id.ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        set => _connectionId = value;
    }

    public override IDictionary<object, object?> Items
    {
        get => _items ??= new Dictionary<object, object?>();
        set => _items = value;
    }

    public override IDuplexPipe Transport
    {
        get => _transport;
        set => _transport = value;
    }

    public override CancellationToken ConnectionClosed
    {
        get
        {
            if (Volatile.Read(ref _shutdown) != 0)
            {
                return new CancellationToken(canceled: true);
            }

            var closed = Volatile.Read(ref _closed) ?? Interlocked.CompareExchange(ref _closed, new CancellationTokenSource(), null) ?? _closed!;
            if (Volatile.Read(ref _shutdown) != 0)
            {
                // Shut down while the source was being made: it may have missed the cancel.
                closed.Cancel();
            }

            return closed.Token;
        }

        set => throw new NotSupportedException("The transport owns ConnectionClosed.");
    }

    /// <summary>Whether <see cref="Shutdown"/> has closed the socket.</summary>
    public bool IsShutDown => Volatile.Read(ref _shutdown) != 0;

    PipeReader IDuplexPipe.Input => _input;

    PipeWriter IDuplexPipe.Output => _output;

    public override void Abort(ConnectionAbortedException abortReason) => Shutdown(abortReason);

    public override ValueTask DisposeAsync()
    {
        Shutdown(null);
        _input.Dispose();
        _output.Dispose();
        return default;
    }

    /// <summary>
    /// Closes the socket once, for whatever reason comes first: the application aborted, it finished
    /// writing, or a send failed. Posted receives and sends then complete with an error.
    /// </summary>
    public void Shutdown(ConnectionAbortedException? reason)
    {
        if (Interlocked.Exchange(ref _shutdown, 1) != 0)
        {
            return;
        }

        _abortReason = reason;
        try
        {
            Socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer; closing is all that is left.
        }

        Socket.Dispose();
        _input.OnSocketClosed();
        if (Volatile.Read(ref _closed) is { } closed)
        {
            // Not inline: whoever shut the socket may hold locks the callbacks want.
            ThreadPool.UnsafeQueueUserWorkItem(static source => source.Cancel(), closed, preferLocal: false);
        }
    }

    /// <summary>The exception a read ends with after the socket failed with <paramref name="error"/>.</summary>
    public Exception ClosedError(SocketError error)
    {
        if (Volatile.Read(ref _shutdown) != 0)
        {
            return _abortReason ?? new ConnectionAbortedException("The connection was closed.");
        }

        var cause = new SocketException((int)error);
        return error is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted
            ? new ConnectionResetException(cause.Message, cause)
            : new IOException(cause.Message, cause);
    }
}
