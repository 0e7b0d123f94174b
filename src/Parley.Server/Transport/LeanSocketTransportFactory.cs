using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Parley.Server.Transport;

/// <summary>
/// Kestrel transport for the chat ports, built for many mostly idle connections. Kestrel's socket transport
/// keeps two pipes, a receive loop, a send loop and their buffers per connection (about 3.3 KiB of heap
/// while idle, measured in docs/benchmarks.md); this one reads and writes the socket directly from the
/// connection's own loops and holds buffers only while bytes are moving. It binds only <see cref="LeanEndPoint"/>s,
/// so the web port keeps Kestrel's transport.
/// </summary>
public sealed class LeanSocketTransportFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    // Kestrel's default backlog.
    private const int Backlog = 512;

    // Unread input a connection may hold, as Kestrel's MaxRequestBufferSize: well above the longest line.
    private const int MaxBufferedInput = 1024 * 1024;

    /// <summary>
    /// Wait for idle connections with the shared epoll <see cref="ReadinessLoop"/> where there is one (the default),
    /// or with a posted zero-byte receive per connection, as on other systems (for tests of that path).
    /// </summary>
    internal bool UseReadinessLoop { get; init; } = true;

    public bool CanBind(EndPoint endpoint) => endpoint is LeanEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not LeanEndPoint ip)
        {
            throw new NotSupportedException($"The lean transport binds only {nameof(LeanEndPoint)}s, not {endpoint}.");
        }

        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (ip.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(ip);
            socket.Listen(Backlog);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new AddressInUseException(e.Message, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var bound = (IPEndPoint)socket.LocalEndPoint!;
        return new ValueTask<IConnectionListener>(new LeanSocketListener(socket, new LeanEndPoint(bound.Address, bound.Port), MaxBufferedInput, UseReadinessLoop ? ReadinessLoop.Shared : null));
    }
}
