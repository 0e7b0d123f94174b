using System.Diagnostics;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// A half-open connection: the client's network vanishes without a FIN or RST (cable pulled). The
/// client lives in its own network namespace behind a veth pair (we run as root in CI), so the link
/// can really be cut; TCP keepalive must notice within idle + interval × probes.
/// </summary>
public sealed class KeepAliveTests : IAsyncLifetime
{
    private readonly string _ns = "parley" + Random.Shared.Next(100_000, 999_999);
    private readonly int _subnet = Random.Shared.Next(1, 250);
    private string HostVeth => "pv" + _ns[6..] + "h";
    private string PeerVeth => "pv" + _ns[6..] + "p";
    private string HostAddress => $"10.231.{_subnet}.1";
    private Process? _client;

    public async Task InitializeAsync()
    {
        await RunAsync("ip", "netns", "add", _ns);
        await RunAsync("ip", "link", "add", HostVeth, "type", "veth", "peer", "name", PeerVeth);
        await RunAsync("ip", "link", "set", PeerVeth, "netns", _ns);
        await RunAsync("ip", "addr", "add", $"{HostAddress}/30", "dev", HostVeth);
        await RunAsync("ip", "link", "set", HostVeth, "up");
        await RunAsync("ip", "netns", "exec", _ns, "ip", "addr", "add", $"10.231.{_subnet}.2/30", "dev", PeerVeth);
        await RunAsync("ip", "netns", "exec", _ns, "ip", "link", "set", PeerVeth, "up");
    }

    public async Task DisposeAsync()
    {
        if (_client is { HasExited: false })
        {
            _client.Kill();
        }

        _client?.Dispose();
        await RunAsync("ip", "netns", "del", _ns);
        await RunAsync("ip", allowFailure: true, "link", "del", HostVeth);
    }

    [Fact]
    public async Task A_client_whose_network_vanished_is_dropped_by_keepalive_within_the_configured_time()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Host = HostAddress;
            o.WebPort = -1;
            o.KeepAliveIdle = TimeSpan.FromSeconds(1);
            o.KeepAliveInterval = TimeSpan.FromSeconds(1);
            o.KeepAliveProbes = 2;
        });
        var port = server.Server.ChatEndPoint.Port;
        var script = $"import socket,time\ns=socket.create_connection(('{HostAddress}',{port}))\ns.sendall(b'ghost\\n')\ntime.sleep(120)\n";
        var info = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "netns", "exec", _ns, "/usr/bin/python3", "-c", script })
        {
            info.ArgumentList.Add(arg);
        }

        _client = Process.Start(info)!;
        await server.WaitForUsersAsync(1);

        // Cut the link: from now on nothing the server sends is answered, and nothing says so.
        await RunAsync("ip", "netns", "exec", _ns, "ip", "link", "set", PeerVeth, "down");
        var cut = Stopwatch.StartNew();
        await server.WaitForUsersAsync(0, TimeSpan.FromSeconds(20));
        Assert.False(_client.HasExited, "the client process must still think it is connected (half-open)");

        // idle 1 s + 2 probes × 1 s = 3 s, plus the kernel's timer granularity.
        Assert.InRange(cut.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
    }

    private static Task RunAsync(string command, params string[] args) => RunAsync(command, false, args);

    private static async Task RunAsync(string command, bool allowFailure, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
        Assert.True(allowFailure || process.ExitCode == 0, $"{command} {string.Join(' ', args)} failed (this test needs root and `ip netns`): {await process.StandardError.ReadToEndAsync()}");
    }
}
