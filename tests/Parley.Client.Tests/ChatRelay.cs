using System.Net;
using System.Net.Sockets;

namespace Parley.Client.Tests;

/// <summary>
/// A TCP hop on loopback in front of the server's chat port whose connections the test can cut while the
/// server stays up: a chat connection lost to the network rather than to a restart (uploads carry on).
/// </summary>
internal sealed class ChatRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly List<(TcpClient In, TcpClient Out)> _pairs = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public ChatRelay(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections have come through so far (the first one and every reconnect).</summary>
    public int Connections { get; private set; }

    /// <summary>Drops every connection now relayed; new ones are still accepted.</summary>
    public void CutAll()
    {
        lock (_pairs)
        {
            foreach (var (a, b) in _pairs)
            {
                a.Dispose();
                b.Dispose();
            }

            _pairs.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutAll();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping is how the accept loop ends.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            var outbound = new TcpClient();
            await outbound.ConnectAsync(_target, _stop.Token);
            lock (_pairs)
            {
                Connections++;
                _pairs.Add((inbound, outbound));
            }

            _ = PumpAsync(inbound, outbound);
            _ = PumpAsync(outbound, inbound);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // Cut: the other direction notices too.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
