using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core;
using Parley.Testing;

namespace Parley.Server.Tests;

public sealed class AbuseLimitTests
{
    [Fact]
    public async Task Connections_per_address_are_limited_on_loopback_when_the_exemption_is_off()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Hub.Abuse.ExemptLoopback = false;
            o.Hub.Abuse.MaxConnectionsPerIp = 2;
        });
        await using var first = await server.JoinTextAsync("first");
        var second = await server.JoinTextAsync("second");

        await using (var third = await server.ConnectAsync())
        {
            Assert.Equal(["ERROR too many connections from your address (limit 2 at once)"], await third.WaitClosedAsync());
        }

        // The browser's transport counts against the same limit, and is told in JSON.
        await using (var web = await server.ConnectWebSocketAsync())
        {
            var error = await web.ExpectTypeAsync("error");
            Assert.Equal("too_many_connections", error.GetProperty("code").GetString());
        }

        await second.DisposeAsync();
        await server.WaitForUsersAsync(1);

        // The user leaves the hub before the connection's slot is given back (its write loop ends first).
        var admission = server.Server.Services.GetRequiredService<ConnectionAdmission>();
        await Eventually.TrueAsync(() => admission.OpenFrom(IPAddress.Loopback) == 1, LineClient.DefaultTimeout, "the second connection's slot given back");
        await using var again = await server.JoinTextAsync("again");
        await first.SendLineAsync("room for one more");
        await again.ExpectAsync("first: room for one more");
    }

    [Fact]
    public async Task New_connections_per_address_per_minute_are_limited()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Hub.Abuse.ExemptLoopback = false;
            o.Hub.Abuse.MaxNewConnectionsPerIpPerMinute = 3;
        });
        for (var i = 0; i < 3; i++)
        {
            await using var client = await server.JoinTextAsync($"u{i}");
        }

        await using var fourth = await server.ConnectAsync();
        var refusal = Assert.Single(await fourth.WaitClosedAsync());
        Assert.Equal("ERROR too many new connections from your address (limit 3 a minute), try again later", refusal);
    }

    [Fact]
    public async Task Loopback_is_exempt_by_default()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.Abuse.MaxConnectionsPerIp = 1);
        await using var a = await server.JoinTextAsync("a");
        await using var b = await server.JoinTextAsync("b");
        await b.SendLineAsync("both in");
        await a.ExpectAsync("b: both in");
    }

    [Fact]
    public async Task An_unfinished_line_times_out_and_closes_the_connection()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.Abuse.PartialLineTimeout = TimeSpan.FromSeconds(1));
        await using var bob = await server.JoinTextAsync("bob");
        await using var loris = await server.JoinTextAsync("loris");
        await loris.SendRawAsync(Encoding.ASCII.GetBytes("never fin"));
        var rest = await loris.WaitClosedAsync();
        Assert.Contains("ERROR Line not finished within 1 seconds; closing the connection", rest);
        await bob.ExpectAsync("loris left the chat (line timeout)");
    }

    [Fact]
    public async Task An_unfinished_websocket_message_times_out_too()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.Abuse.PartialLineTimeout = TimeSpan.FromSeconds(1));
        await using var bob = await server.JoinTextAsync("bob");
        await using var loris = await server.JoinWebSocketAsync("wsloris");
        using var timeout = new CancellationTokenSource(LineClient.DefaultTimeout);
        await loris.Socket.SendAsync("{\"type\":\"mess"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: false, timeout.Token);
        await bob.ExpectAsync("wsloris left the chat (line timeout)");
    }

    [Fact]
    public async Task Complete_lines_keep_a_connection_alive_however_its_reads_are_split()
    {
        // The memory store and a 2 s timer: each round trip waits for its echo, and with SQLite that includes a
        // commit, which on this machine's disk now and then takes about a second (a WAL checkpoint's fsync); with
        // a 1 s timer the last partial line then outlived it before the test could finish it (2 runs in 12).
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Hub.Abuse.PartialLineTimeout = TimeSpan.FromSeconds(2);
            o.Store = "memory";
        });
        await using var alice = await server.JoinTextAsync("alice");

        // Every write ends mid-line, but each one also finishes the previous line: progress, not a stall. The
        // connection lives more than twice the timer.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(4.5);
        await alice.SendRawAsync(Encoding.ASCII.GetBytes("m"));
        for (var i = 0; DateTime.UtcNow < deadline; i++)
        {
            await alice.SendRawAsync(Encoding.ASCII.GetBytes($"{i}\nm"));
            await alice.ExpectAsync($"alice: m{i}");
        }

        await alice.SendRawAsync("end\n"u8.ToArray());
        await alice.ExpectAsync("alice: mend");
    }

    [Fact]
    public async Task A_websocket_from_another_origin_is_refused_unless_allowed()
    {
        await using var server = await TestServer.StartAsync(o => o.AllowedOrigins = ["https://friend.example"]);
        var uri = new UriBuilder(server.WebUri) { Scheme = "ws", Path = "/ws" }.Uri;

        async Task<bool> ConnectsAsync(string? origin)
        {
            using var socket = new ClientWebSocket();
            if (origin is not null)
            {
                socket.Options.SetRequestHeader("Origin", origin);
            }

            using var timeout = new CancellationTokenSource(LineClient.DefaultTimeout);
            try
            {
                await socket.ConnectAsync(uri, timeout.Token);
                return true;
            }
            catch (WebSocketException)
            {
                return false;
            }
        }

        Assert.False(await ConnectsAsync("https://evil.example"));
        Assert.False(await ConnectsAsync("null"));
        Assert.True(await ConnectsAsync(server.WebUri.GetLeftPart(UriPartial.Authority)));
        Assert.True(await ConnectsAsync("https://friend.example"));
        Assert.True(await ConnectsAsync(null));
    }
}
