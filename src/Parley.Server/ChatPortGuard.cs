using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Parley.Core;

namespace Parley.Server;

/// <summary>
/// Guards both chat ports: per-address admission and TCP keepalive, so a peer that vanished without a FIN
/// (power cut, cable pulled, NAT timeout) is noticed within idle + interval × probes seconds. The TLS port
/// admits in a connection middleware, before the handshake, so handshakes count too; the plain port admits
/// in <see cref="ChatConnectionHandler"/> itself, which saves every idle connection the middleware's frame.
/// </summary>
public sealed class ChatPortGuard(ConnectionAdmission admission, ServerOptions options)
{
    /// <summary>The TLS port's middleware: admits (or refuses, silently) before the handshake.</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> TlsMiddleware() => next => async connection =>
    {
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (!admission.TryAdmit(address, out _))
        {
            return;
        }

        try
        {
            connection.Features.Set(AdmittedAhead.Instance);
            ConfigureKeepAlive(connection);
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            admission.Release(address);
        }
    };

    /// <summary>
    /// Admits a plain connection that no middleware admitted (true, with the address to <see cref="Release"/>
    /// later), or says why not; a connection the TLS middleware admitted is let through as it is.
    /// </summary>
    public bool TryAdmit(ConnectionContext connection, out IPAddress? admitted, out string? refusal)
    {
        admitted = null;
        refusal = null;
        if (connection.Features.Get<AdmittedAhead>() is not null)
        {
            return true;
        }

        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (!admission.TryAdmit(address, out refusal))
        {
            return false;
        }

        // A null address (not IP) is admitted without being counted; releasing it is a no-op too.
        admitted = address;
        ConfigureKeepAlive(connection);
        return true;
    }

    public void Release(IPAddress? admitted)
    {
        if (admitted is not null)
        {
            admission.Release(admitted);
        }
    }

    /// <summary>Tells a refused plain connection why, as a text line (the protocol is not known yet; nc and the JSON clients both show it).</summary>
    public static async Task RefuseAsync(ConnectionContext connection, string refusal)
    {
        await connection.Transport.Output.WriteAsync(Encoding.UTF8.GetBytes($"ERROR {refusal}\n")).ConfigureAwait(false);
        await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
    }

    private void ConfigureKeepAlive(ConnectionContext connection)
    {
        if (options.KeepAliveIdle is not { } idle || connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket)
        {
            return;
        }

        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, Math.Max(1, (int)idle.TotalSeconds));
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, Math.Max(1, (int)options.KeepAliveInterval.TotalSeconds));
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, Math.Max(1, options.KeepAliveProbes));
            if (OperatingSystem.IsLinux())
            {
                // Keepalive only probes an idle connection; with data unacknowledged, TCP_USER_TIMEOUT
                // (18) bounds the wait instead of the ~15 minutes of retransmissions.
                var limit = idle + (options.KeepAliveInterval * options.KeepAliveProbes);
                Span<byte> value = stackalloc byte[sizeof(int)];
                BitConverter.TryWriteBytes(value, (int)limit.TotalMilliseconds);
                socket.SetRawSocketOption(6, 18, value);
            }
        }
        catch (SocketException)
        {
            // Not every platform takes every option; keepalive is a best effort.
        }
    }

    // Marks a connection the TLS middleware admitted.
    private sealed class AdmittedAhead
    {
        public static readonly AdmittedAhead Instance = new();
    }
}
