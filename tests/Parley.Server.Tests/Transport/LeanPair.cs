using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Parley.Server.Transport;

namespace Parley.Server.Tests.Transport;

/// <summary>
/// One lean-transport connection and the real loopback socket at its other end: the factory bound on
/// port 0, a peer connected to it, and the connection the listener accepted for that peer.
/// </summary>
internal sealed class LeanPair : IAsyncDisposable
{
    /// <summary>The bound on every wait in these tests: long enough for a loaded machine, short enough to fail.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly IConnectionListener _listener;

    private LeanPair(IConnectionListener listener, LeanSocketConnection connection, Socket peer)
    {
        _listener = listener;
        Connection = connection;
        Peer = peer;
    }

    public LeanSocketConnection Connection { get; }

    public SocketInput Input => (SocketInput)Connection.Transport.Input;

    public SocketOutput Output => (SocketOutput)Connection.Transport.Output;

    /// <summary>The client end, a plain socket.</summary>
    public Socket Peer { get; }

    /// <param name="configurePeer">Runs before connecting, e.g. to shrink the peer's receive window.</param>
    /// <param name="readinessLoop">Wait for input with the epoll loop (the default) or with a posted zero-byte receive.</param>
    public static async Task<LeanPair> ConnectAsync(Action<Socket>? configurePeer = null, bool readinessLoop = true)
    {
        var listener = await new LeanSocketTransportFactory { UseReadinessLoop = readinessLoop }.BindAsync(new LeanEndPoint(IPAddress.Loopback, 0));
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            configurePeer?.Invoke(peer);
            var accepting = listener.AcceptAsync().AsTask();
            await peer.ConnectAsync(listener.EndPoint).WaitAsync(Timeout);
            var connection = await accepting.WaitAsync(Timeout);
            return new LeanPair(listener, Assert.IsType<LeanSocketConnection>(connection), peer);
        }
        catch
        {
            peer.Dispose();
            await listener.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends all of <paramref name="data"/> from the peer.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var sent = await Peer.SendAsync(data, SocketFlags.None).AsTask().WaitAsync(Timeout);
            data = data[sent..];
        }
    }

    /// <summary>Reads at the peer until <paramref name="count"/> bytes arrived or the connection ended.</summary>
    public async Task<byte[]> ReceiveAsync(int count)
    {
        var received = new byte[count];
        var total = 0;
        while (total < count)
        {
            var n = await Peer.ReceiveAsync(received.AsMemory(total), SocketFlags.None).AsTask().WaitAsync(Timeout);
            if (n == 0)
            {
                return received[..total];
            }

            total += n;
        }

        return received;
    }

    /// <summary>Reads at the peer until the server's end closes; everything that arrived before.</summary>
    public async Task<byte[]> ReceiveToEndAsync()
    {
        using var all = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (true)
        {
            var n = await Peer.ReceiveAsync(chunk.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Timeout);
            if (n == 0)
            {
                return all.ToArray();
            }

            all.Write(chunk, 0, n);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Peer.Dispose();
        await Connection.DisposeAsync();
        await _listener.DisposeAsync();
    }
}
