using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Parley.Core;

namespace Parley.Server;

/// <summary>
/// Kestrel connection middleware in front of both chat ports: per-address admission (before any TLS
/// handshake, so handshakes count too) and TCP keepalive, so a peer that vanished without a FIN
/// (power cut, cable pulled, NAT timeout) is noticed within idle + interval × probes seconds.
/// </summary>
internal sealed class ChatPortGuard(ConnectionAdmission admission, ServerOptions options)
{
    public Func<ConnectionDelegate, ConnectionDelegate> Middleware(bool tls) => next => async connection =>
    {
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (!admission.TryAdmit(address, out var refusal))
        {
            if (!tls)
            {
                // The protocol is not known yet; a text line is what nc and the JSON clients both show.
                await connection.Transport.Output.WriteAsync(Encoding.UTF8.GetBytes($"ERROR {refusal}\n")).ConfigureAwait(false);
                await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
            }

            return;
        }

        try
        {
            ConfigureKeepAlive(connection);
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            admission.Release(address);
        }
    };

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
}
