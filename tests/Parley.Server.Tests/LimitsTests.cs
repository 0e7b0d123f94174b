using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core;
using Parley.Testing;

namespace Parley.Server.Tests;

public sealed class LimitsTests
{
    [Fact]
    public async Task Over_long_line_is_refused_and_the_session_survives()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinTextAsync("alice");
        await alice.SendLineAsync(new string('x', 8 * 1024));
        Assert.EndsWith("alice: " + new string('x', 8 * 1024), await alice.ReadLineAsync());

        await alice.SendLineAsync(new string('y', (8 * 1024) + 1));
        Assert.Equal("ERROR Line longer than 8192 bytes was ignored", await alice.ReadLineAsync());
        await alice.SendLineAsync("still fine");
        await alice.ExpectAsync("alice: still fine");
    }

    [Fact]
    public async Task Endless_line_without_newline_is_discarded_not_buffered()
    {
        await using var server = await TestServer.StartAsync();
        await using var json = await server.JoinJsonAsync("jay");
        var chunk = Encoding.ASCII.GetBytes(new string('z', 64 * 1024));
        for (var i = 0; i < 64; i++)
        {
            await json.Lines.SendRawAsync(chunk); // 4 MiB, no newline
        }

        var error = await json.ExpectTypeAsync("error");
        Assert.Equal("line_too_long", error.GetProperty("code").GetString());
        await json.Lines.SendRawAsync("\n"u8.ToArray());
        await json.SendAsync(new { type = "message", content = "after the flood" });
        await json.ExpectTypeAsync("message", m => m.GetProperty("content").GetString() == "after the flood");
        Assert.Single(json.Lines.Seen, l => l.Contains("line_too_long", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invalid_utf8_is_refused_before_and_after_joining()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.JoinTextAsync("bob");
        await using var alice = await server.ConnectAsync();
        await alice.SendRawAsync([0xff, 0xfe, (byte)'\n']);
        Assert.Equal("ERROR Line is not valid UTF-8 and was ignored", await alice.ExpectAsync("ERROR"));
        await alice.SendLineAsync("alice");
        await alice.ExpectAsync("Users online");
        await alice.SendRawAsync([(byte)'a', 0xc3, 0x28, (byte)'\n']); // broken two-byte sequence
        Assert.Equal("ERROR Line is not valid UTF-8 and was ignored", await alice.ReadLineAsync());
        await alice.SendRawAsync(Encoding.UTF8.GetBytes("naïve ✓\n"));
        await bob.ExpectAsync("alice: naïve ✓");
    }

    [Fact]
    public async Task Empty_and_whitespace_lines_are_ignored_in_both_modes()
    {
        await using var server = await TestServer.StartAsync();
        await using var text = await server.JoinTextAsync("tess");
        await using var json = await server.JoinJsonAsync("jay");
        await text.ExpectAsync("jay joined");

        await text.SendRawAsync("\n   \n\t\r\n/ping\n"u8.ToArray());
        Assert.Equal("PONG", await text.ReadLineAsync());
        await json.Lines.SendRawAsync("\n  \n{\"type\":\"ping\"}\n"u8.ToArray());
        Assert.Equal("pong", (await json.ReadAsync()).GetProperty("type").GetString());
        Assert.DoesNotContain(json.Lines.Seen, l => l.Contains("tess:", StringComparison.Ordinal) || l.Contains("\"message\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Terminal_control_sequences_never_reach_another_user()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.JoinTextAsync("bob");
        await using var mallory = await server.JoinJsonAsync("mallory");
        await using var eve = await server.JoinTextAsync("eve");

        await eve.SendRawAsync("\u001b[2J\u001b]0;pwned\u0007hi\u0007 \u009bthere\u001b[31m\u202e!\n"u8.ToArray());
        Assert.EndsWith("eve: hi there!", await bob.ExpectAsync("eve: "));
        await mallory.SendAsync(new { type = "private_message", target = "bob", content = "\u001b[1;1Hfake\r\n[12:00:00] admin: trust me\u0008" });
        var pm = await bob.ExpectAsync("[PM]");
        Assert.EndsWith("[PM] mallory: fake  [12:00:00] admin: trust me", pm);
        Assert.All(bob.Seen, line => Assert.DoesNotContain(line, c => char.IsControl(c)));
    }

    [Fact]
    public async Task Login_must_finish_in_time()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.LoginTimeout = TimeSpan.FromSeconds(1));
        await using var idle = await server.ConnectAsync();
        var lines = await idle.WaitClosedAsync();
        Assert.Equal("Welcome to Parley! Please enter a username:", lines[0]);
        Assert.Equal("ERROR No username received within 1 seconds; closing the connection", lines[^1]);

        // A client that does join in time is not affected by the timer.
        await using var alice = await server.JoinTextAsync("alice");
        await using var watcher = await server.JoinJsonAsync("watcher");
        await watcher.SendAsync(new { type = "who" });
        await watcher.ExpectTypeAsync("users", u => u.GetProperty("users").GetArrayLength() == 2);
    }

    [Fact]
    public async Task Client_over_the_limit_is_told_the_server_is_full()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.MaxClients = 2);
        await using var a = await server.JoinTextAsync("a");
        await using var b = await server.JoinTextAsync("b");
        await using (var c = await server.ConnectAsync())
        {
            Assert.Equal(["ERROR server full (2 clients), try again later"], await c.WaitClosedAsync());
        }

        await b.SendLineAsync("/quit");
        await a.ExpectAsync("b left the chat");
        await using var d = await server.JoinTextAsync("d");
    }

    [Fact]
    public async Task Client_that_never_reads_is_cut_off_and_nobody_else_waits()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Hub.SendQueueBytes = 256 * 1024;
            o.Hub.SendQueueHighWater = 64 * 1024;
        });
        using var stuck = await LineClient.ConnectSilentAsync(server.ChatEndPoint);
        await stuck.GetStream().WriteAsync("stuck\n"u8.ToArray());
        await using var reader = await server.JoinJsonAsync("reader");
        await using var sender = await server.JoinTextAsync("sender");
        await server.WaitForUsersAsync(3);

        // ~12 MiB to each member: far beyond the stuck client's socket buffers and its queue bound.
        // Like a real client, the sender keeps a window in flight, paced by a reader that keeps up.
        var payload = new string('p', 4000);
        const int count = 3000;
        for (var i = 0; i < count; i++)
        {
            await sender.SendLineAsync($"{i} {payload}");
            if (i % 32 == 31 || i == count - 1)
            {
                var expected = $"{i} ";
                try
                {
                    await reader.ExpectTypeAsync("message", m => m.GetProperty("content").GetString()!.StartsWith(expected, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
                }
                catch (TimeoutException)
                {
                    throw new TimeoutException($"reader never got message {i}; {server.Describe()}; sender saw {sender.Seen.Count} lines; reader saw {reader.Lines.Seen.Count}");
                }

                await sender.ExpectAsync($"sender: {expected}", TimeSpan.FromSeconds(30));
            }
        }

        var left = reader.Lines.Seen.Single(l => l.Contains("\"event\":\"left\"", StringComparison.Ordinal));
        Assert.Contains("\"username\":\"stuck\"", left);
        Assert.Contains("stuck left the chat (send queue exceeded)", left);

        // The clients that read lost nothing.
        Assert.Equal(count, reader.Lines.Seen.Count(l => l.Contains("\"type\":\"message\"", StringComparison.Ordinal)));
        Assert.Equal(count, sender.Seen.Count(l => l.Contains("] sender: ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("lean", false)]
    [InlineData("kestrel", false)]
    [InlineData("lean", true)]
    public async Task A_client_cut_off_while_a_write_to_it_waits_has_its_connection_ended_and_its_slot_given_back(string transport, bool tls)
    {
        // Over TLS the write loop's flush waits inside the TLS stream; cutting the connection must end that too.
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Transport = transport;
            if (tls)
            {
                o.Tls = true;
                o.TlsPort = 0;
            }

            o.Hub.SendQueueBytes = 256 * 1024;
            o.Hub.SendQueueHighWater = 64 * 1024;
            o.Hub.Abuse.ExemptLoopback = false;
            o.Hub.Abuse.MaxConnectionsPerIp = 10;
            o.Hub.Abuse.IpRateLimit = 0;
        });
        await using Stream stuck = tls
            ? await TlsTests.HandshakeAsync(server.TlsEndPoint, System.Security.Authentication.SslProtocols.None)
            : (await LineClient.ConnectSilentAsync(server.ChatEndPoint)).GetStream();
        await stuck.WriteAsync("stuck\n"u8.ToArray());
        await stuck.FlushAsync();
        await using var sender = await server.JoinTextAsync("sender");
        await server.WaitForUsersAsync(2);

        // Far beyond the stuck client's socket buffers and its queue bound, so its write loop is waiting on a
        // flush when the session is cut off; the sender paces itself on its own echo.
        var payload = new string('p', 4000);
        for (var i = 0; !sender.Seen.Any(l => l.Contains("stuck left the chat", StringComparison.Ordinal)); i++)
        {
            Assert.True(i < 5000, "the stuck client was never cut off");
            await sender.SendLineAsync($"{i} {payload}");
            if (i % 32 == 31)
            {
                try
                {
                    await sender.ExpectAsync($"sender: {i} ", TimeSpan.FromSeconds(30));
                }
                catch (TimeoutException)
                {
                    // What held the sender's echo back: paused input, a congested session, a queue that never drained.
                    var hub = server.Server.Services.GetRequiredService<Hub>();
                    var sessions = string.Join("; ", hub.Sessions.Select(x => $"{x.Username} {x.State} queued {x.QueuedBytes}"));
                    throw new TimeoutException($"echo {i} not seen; input paused {hub.Flow.IsPaused}, congested {hub.Flow.CongestedCount}; {sessions}");
                }
            }
        }

        // Both of its loops ended: the read loop gives the slot back only after the write loop is done.
        var admission = server.Server.Services.GetRequiredService<ConnectionAdmission>();
        await Eventually.TrueAsync(() => admission.OpenFrom(IPAddress.Loopback) == 1, LineClient.DefaultTimeout, "the stuck connection's slot given back");
    }

    [Fact]
    public async Task Unthrottled_sender_is_slowed_down_instead_of_slow_readers_losing_messages()
    {
        // A small queue makes the readers "slow" relative to a sender writing at memory speed.
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Hub.SendQueueBytes = 64 * 1024;
            o.Hub.SendQueueHighWater = 16 * 1024;

            // This test reads one reader at a time; on a busy machine the others can sit unread for longer than
            // the default 500 ms grace, and a stalled reader is cut off by design (tested elsewhere).
            o.Hub.StallGrace = TimeSpan.FromSeconds(60);
        });
        var readers = new List<JsonLineClient>();
        for (var i = 0; i < 5; i++)
        {
            readers.Add(await server.JoinJsonAsync($"r{i}"));
        }

        await using var sender = await server.JoinTextAsync("sender");
        await server.WaitForUsersAsync(6);
        const int count = 20_000;
        var burst = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            burst.Append("m ").Append(i).Append(' ').Append('x', 40).Append('\n');
        }

        // ~1 MiB in one write: far more than any queue may hold.
        await sender.SendRawAsync(Encoding.UTF8.GetBytes(burst.ToString()));
        var last = $"m {count - 1} ";
        foreach (var reader in readers)
        {
            await reader.ExpectTypeAsync("message", m => m.GetProperty("content").GetString()!.StartsWith(last, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            Assert.Equal(count, reader.Lines.Seen.Count(l => l.Contains("\"content\":\"m ", StringComparison.Ordinal)));
        }

        Assert.All(readers, r => Assert.DoesNotContain(r.Lines.Seen, l => l.Contains("\"event\":\"left\"", StringComparison.Ordinal)));
        foreach (var reader in readers)
        {
            await reader.DisposeAsync();
        }

        await sender.ExpectAsync($"sender: {last}", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Flooding_client_is_told_and_its_excess_is_dropped()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.RateLimit = 5);
        await using var observer = await server.JoinJsonAsync("observer");
        await using var flooder = await server.JoinTextAsync("flooder");

        var burst = new StringBuilder();
        for (var i = 0; i < 40; i++)
        {
            burst.Append("flood ").Append(i).Append('\n');
        }

        burst.Append("/quit\n"); // never rate limited: leaving always works
        await flooder.SendRawAsync(Encoding.UTF8.GetBytes(burst.ToString()));

        var flooderLines = await flooder.WaitClosedAsync();
        Assert.Single(flooderLines, l => l.StartsWith("ERROR You are sending too fast", StringComparison.Ordinal));
        await observer.ExpectTypeAsync("system", e => e.GetProperty("event").GetString() == "left");
        var delivered = observer.Lines.Seen.Count(l => l.Contains("\"flood ", StringComparison.Ordinal));
        Assert.InRange(delivered, 10, 12); // burst of 2 x 5/s, plus what trickled in while processing
    }

    [Fact]
    public async Task Rate_limit_zero_turns_flood_control_off()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.RateLimit = 0);
        await using var alice = await server.JoinTextAsync("alice");
        var burst = string.Concat(Enumerable.Range(0, 100).Select(i => $"m{i}\n"));
        await alice.SendRawAsync(Encoding.UTF8.GetBytes(burst));
        await alice.ExpectAsync("alice: m99");
        Assert.DoesNotContain(alice.Seen, l => l.StartsWith("ERROR", StringComparison.Ordinal));
    }
}
