using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core;
using Parley.Testing;

namespace Parley.Server.Tests;

public sealed class WebSocketTests
{
    [Fact]
    public async Task WebSocket_text_and_json_clients_chat_together_in_every_direction()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinWebSocketAsync("alice");
        await using var bob = await server.JoinTextAsync("bob");
        await using var carol = await server.JoinJsonAsync("carol");

        await alice.SendAsync(new { type = "message", content = "hi from the browser" });
        await bob.ExpectAsync(l => l.EndsWith("] alice: hi from the browser", StringComparison.Ordinal));
        await carol.ExpectTypeAsync("message", m => m.GetProperty("username").GetString() == "alice" && m.GetProperty("content").GetString() == "hi from the browser");
        await alice.ExpectTypeAsync("message", m => m.GetProperty("content").GetString() == "hi from the browser");

        await bob.SendLineAsync("hello from nc");
        await alice.ExpectTypeAsync("message", m => m.GetProperty("username").GetString() == "bob" && m.GetProperty("content").GetString() == "hello from nc");

        await carol.SendAsync(new { type = "message", content = "and from JSON" });
        await alice.ExpectTypeAsync("message", m => m.GetProperty("username").GetString() == "carol");

        // Private messages cross transports both ways.
        await alice.SendAsync(new { type = "private_message", target = "bob", content = "psst" });
        await bob.ExpectAsync(l => l.EndsWith("] [PM] alice: psst", StringComparison.Ordinal));
        await alice.ExpectTypeAsync("private_confirmation", m => m.GetProperty("target").GetString() == "bob" && m.GetProperty("delivered").GetBoolean());

        await bob.SendLineAsync("/msg alice back at you");
        await alice.ExpectTypeAsync("private_message", m => m.GetProperty("sender").GetString() == "bob" && m.GetProperty("content").GetString() == "back at you");

        await carol.SendAsync(new { type = "private_message", target = "alice", content = "json to ws" });
        await alice.ExpectTypeAsync("private_message", m => m.GetProperty("sender").GetString() == "carol");

        // Any text-mode command line runs through {"type":"command"}.
        await alice.SendAsync(new { type = "command", line = "/who" });
        var users = await alice.ExpectTypeAsync("users");
        Assert.Equal(["alice", "bob", "carol"], users.GetProperty("users").EnumerateArray().Select(u => u.GetString()!).ToArray());
    }

    [Fact]
    public async Task Each_event_is_one_text_message_in_the_json_lines_form_without_the_newline()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectWebSocketAsync();
        await alice.SendAsync(new { type = "join", username = "alice" });
        var welcome = await alice.ReadTextAsync();
        Assert.Equal("""{"type":"welcome","username":"alice","users":["alice"],"room":"#general"}""", welcome);

        await alice.SendAsync(new { type = "ping" });
        Assert.Equal("""{"type":"pong"}""", await alice.ReadTextAsync());
    }

    [Fact]
    public async Task Joining_with_a_taken_or_invalid_name_is_refused_and_may_be_retried()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.JoinTextAsync("bob");
        await using var ws = await server.ConnectWebSocketAsync();

        await ws.SendAsync(new { type = "join", username = "BOB" });
        var taken = await ws.ExpectTypeAsync("error");
        Assert.Equal("username_taken", taken.GetProperty("code").GetString());

        await ws.SendAsync(new { type = "join", username = "<script>" });
        Assert.Equal("invalid_username", (await ws.ExpectTypeAsync("error")).GetProperty("code").GetString());

        await ws.JoinAsync("bobby");
        await bob.ExpectAsync("*** bobby joined the chat");
    }

    [Fact]
    public async Task Bad_json_and_binary_messages_get_errors_and_the_connection_stays()
    {
        await using var server = await TestServer.StartAsync();
        await using var ws = await server.JoinWebSocketAsync("alice");

        await ws.SendTextAsync("{not json");
        Assert.Equal("invalid_json", (await ws.ExpectTypeAsync("error")).GetProperty("code").GetString());

        await ws.SendTextAsync("""{"type":"message","content":42}""");
        Assert.Equal("invalid_field", (await ws.ExpectTypeAsync("error")).GetProperty("code").GetString());

        await ws.SendTextAsync("""{"type":"teleport"}""");
        Assert.Equal("unknown_type", (await ws.ExpectTypeAsync("error")).GetProperty("code").GetString());

        await ws.SendRawAsync(Encoding.UTF8.GetBytes("""{"type":"ping"}"""), WebSocketMessageType.Binary);
        var binary = await ws.ExpectTypeAsync("error");
        Assert.Contains("text message", binary.GetProperty("message").GetString(), StringComparison.Ordinal);

        await ws.SendAsync(new { type = "ping" });
        await ws.ExpectTypeAsync("pong");
    }

    [Fact]
    public async Task Oversize_messages_are_refused_whole_or_fragmented_and_the_connection_stays()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.MaxLineBytes = 1024);
        await using var ws = await server.JoinWebSocketAsync("alice");
        await using var bob = await server.JoinTextAsync("bob");

        await ws.SendAsync(new { type = "message", content = new string('x', 5000) });
        var error = await ws.ExpectTypeAsync("error");
        Assert.Equal("line_too_long", error.GetProperty("code").GetString());

        // The same limit holds when the message arrives in many small frames.
        var json = Encoding.UTF8.GetBytes($$"""{"type":"message","content":"{{new string('y', 3000)}}"}""");
        for (var offset = 0; offset < json.Length; offset += 500)
        {
            var count = Math.Min(500, json.Length - offset);
            await ws.Socket.SendAsync(json.AsMemory(offset, count), WebSocketMessageType.Text, offset + count == json.Length, CancellationToken.None);
        }

        Assert.Equal("line_too_long", (await ws.ExpectTypeAsync("error")).GetProperty("code").GetString());

        // A message just under the limit, sent in fragments, still arrives whole.
        var fits = Encoding.UTF8.GetBytes($$"""{"type":"message","content":"{{new string('z', 900)}}"}""");
        await ws.Socket.SendAsync(fits.AsMemory(0, 400), WebSocketMessageType.Text, false, CancellationToken.None);
        await ws.Socket.SendAsync(fits.AsMemory(400), WebSocketMessageType.Text, true, CancellationToken.None);
        await bob.ExpectAsync(l => l.EndsWith("alice: " + new string('z', 900), StringComparison.Ordinal));
        Assert.DoesNotContain(bob.Seen, l => l.Contains("xxxx", StringComparison.Ordinal) || l.Contains("yyyy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Quit_says_goodbye_and_closes_normally_and_others_see_the_leave()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.JoinTextAsync("bob");
        await using var ws = await server.JoinWebSocketAsync("alice");

        await ws.SendAsync(new { type = "quit" });
        var rest = await ws.WaitClosedAsync();
        Assert.Contains(rest, m => m.Contains("\"type\":\"goodbye\"", StringComparison.Ordinal));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
        await bob.ExpectAsync("*** alice left the chat");
        await server.WaitForUsersAsync(1);
    }

    [Fact]
    public async Task Client_closing_the_socket_leaves_the_chat()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.JoinTextAsync("bob");
        var ws = await server.JoinWebSocketAsync("alice");

        await ws.CloseAsync();
        await bob.ExpectAsync("*** alice left the chat");
        await Eventually.TrueAsync(() => server.Hub.ConnectionCount == 1, LineClient.DefaultTimeout, "the WebSocket session to be gone");
        await ws.DisposeAsync();
    }

    [Fact]
    public async Task Kicked_browser_user_is_told_why_and_closed_with_policy_violation()
    {
        await using var server = await TestServer.StartAsync();
        await using var ws = await server.JoinWebSocketAsync("mallory");

        Assert.True(server.Hub.Kick("mallory", "spamming"));
        var rest = await ws.WaitClosedAsync();
        Assert.Contains(rest, m => m.Contains("You have been kicked: spamming", StringComparison.Ordinal));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, ws.CloseStatus);
    }

    [Fact]
    public async Task Server_shutdown_tells_browser_users_and_closes_as_going_away()
    {
        var server = await TestServer.StartAsync();
        await using var ws = await server.JoinWebSocketAsync("alice");

        var stopping = server.DisposeAsync().AsTask();
        await ws.ExpectTypeAsync("server", m => m.GetProperty("message").GetString() == "Server is shutting down");
        await ws.WaitClosedAsync();
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, ws.CloseStatus);
        await stopping;
    }

    [Fact]
    public async Task A_browser_that_stops_reading_is_disconnected_when_its_queue_is_full()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Hub.SendQueueBytes = 32 * 1024;
            o.Hub.SendQueueFrames = 64;
        });

        // A raw socket that joins and then never reads: the kernel buffers fill, then the session queue.
        using var slow = new ClientWebSocket();
        await slow.ConnectAsync(new Uri($"ws://127.0.0.1:{server.WebUri.Port}/ws"), CancellationToken.None);
        await slow.SendAsync(Encoding.UTF8.GetBytes("""{"type":"join","username":"slow"}"""), WebSocketMessageType.Text, true, CancellationToken.None);
        await server.WaitForUsersAsync(1);

        // Announcements go to members only, and slow is the only one; the hub never waits for it.
        var notice = new string('n', 2000);
        var deadline = DateTime.UtcNow + LineClient.DefaultTimeout;
        while (server.Hub.ConnectionCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the slow client was never disconnected");
            server.Hub.Announce(notice);
        }

        await server.Server.Services.GetRequiredService<IChatLog>().FlushAsync();
        Assert.Contains("*** slow left the chat (send queue exceeded)", await File.ReadAllTextAsync(server.ChatLogPath), StringComparison.Ordinal);

        await using var next = await server.JoinWebSocketAsync("next");
        await next.SendAsync(new { type = "message", content = "still working" });
        await next.ExpectTypeAsync("message", m => m.GetProperty("content").GetString() == "still working");
    }
}
