using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Parley.Server.Transport;

/// <summary>Accepts connections for one bound chat port.</summary>
internal sealed class LeanSocketListener(Socket listenSocket, EndPoint endPoint, int maxBufferedInput, ReadinessLoop? readiness) : IConnectionListener
{
    private readonly SocketSenderPool _senders = new();

    public EndPoint EndPoint { get; } = endPoint;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                var socket = await listenSocket.AcceptAsync(cancellationToken).ConfigureAwait(false);

                // Chat lines are small and each is a whole message: send them now, not after an ACK.
                socket.NoDelay = true;

                // Reads and most sends are tried at once and must never block (SocketInput, SocketSender).
                socket.Blocking = false;
                return new LeanSocketConnection(socket, _senders, maxBufferedInput, readiness);
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.OperationAborted)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                // Out of descriptors or memory: accepting again at once would spin; give closing
                // connections a moment to free some. Waiting clients stay in the backlog meanwhile.
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // The peer reset before we accepted it; take the next one.
            }
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        listenSocket.Dispose();
        return default;
    }

    public ValueTask DisposeAsync()
    {
        listenSocket.Dispose();
        _senders.Dispose();
        return default;
    }
}
