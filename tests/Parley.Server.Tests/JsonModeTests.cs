using System.Text.Json;
using Parley.Testing;

namespace Parley.Server.Tests;

public sealed class JsonModeTests
{
    [Fact]
    public async Task Join_welcome_and_broadcast()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.Motd = "hello");
        await using var bob = await server.JoinJsonAsync("bob");
        await using var alice = new JsonLineClient(await server.ConnectAsync());
        await alice.SendAsync(new { type = "join", username = "alice" });

        var welcome = await alice.ReadAsync();
        Assert.Equal("welcome", welcome.GetProperty("type").GetString());
        Assert.Equal("alice", welcome.GetProperty("username").GetString());
        Assert.Equal(["alice", "bob"], welcome.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("hello", welcome.GetProperty("motd").GetString());

        var joined = await bob.ExpectTypeAsync("system");
        Assert.Equal("joined", joined.GetProperty("event").GetString());
        Assert.Equal("alice", joined.GetProperty("username").GetString());
        Assert.Equal("alice joined the chat", joined.GetProperty("message").GetString());

        await alice.SendAsync(new { type = "message", content = "Hello everyone!" });
        foreach (var client in new[] { alice, bob })
        {
            var message = await client.ExpectTypeAsync("message");
            Assert.Equal("alice", message.GetProperty("username").GetString());
            Assert.Equal("Hello everyone!", message.GetProperty("content").GetString());
            var timestamp = message.GetProperty("timestamp").GetString()!;
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", timestamp);
            Assert.InRange(DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        }
    }

    [Fact]
    public async Task Taken_name_is_an_error_with_a_code_and_the_client_may_retry()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.JoinJsonAsync("bob");
        await using var other = new JsonLineClient(await server.ConnectAsync());
        await other.SendAsync(new { type = "join", username = "Bob" });
        var error = await other.ExpectTypeAsync("error");
        Assert.Equal("username_taken", error.GetProperty("code").GetString());
        Assert.Contains("taken", error.GetProperty("message").GetString());

        await other.SendAsync(new { type = "join", username = "bad/name" });
        Assert.Equal("invalid_username", (await other.ExpectTypeAsync("error")).GetProperty("code").GetString());

        await other.SendAsync(new { type = "join", username = "bobby" });
        await other.ExpectTypeAsync("welcome");
    }

    [Fact]
    public async Task Private_message_confirmation_and_errors()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");

        await bob.SendAsync(new { type = "private_message", target = "alice", content = "psst" });
        var pm = await alice.ExpectTypeAsync("private_message");
        Assert.Equal("bob", pm.GetProperty("sender").GetString());
        Assert.Equal("psst", pm.GetProperty("content").GetString());
        var confirmation = await bob.ExpectTypeAsync("private_confirmation");
        Assert.Equal("alice", confirmation.GetProperty("target").GetString());
        Assert.True(confirmation.GetProperty("delivered").GetBoolean());

        await bob.SendAsync(new { type = "private_message", target = "nobody", content = "x" });
        Assert.Equal("unknown_user", (await bob.ExpectTypeAsync("error")).GetProperty("code").GetString());
        await bob.SendAsync(new { type = "private_message", target = "alice" });
        var missing = await bob.ExpectTypeAsync("error");
        Assert.Equal("missing_field", missing.GetProperty("code").GetString());
        Assert.Contains("content", missing.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Who_ping_help_quit_and_command_lines()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");

        await alice.SendAsync(new { type = "who" });
        Assert.Equal(["alice", "bob"], (await alice.ExpectTypeAsync("users")).GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        await alice.SendAsync(new { type = "ping" });
        await alice.ExpectTypeAsync("pong");
        await alice.SendAsync(new { type = "help" });
        var help = await alice.ExpectTypeAsync("help");
        Assert.Contains(help.GetProperty("commands").EnumerateArray(), c => c.GetProperty("usage").GetString()!.StartsWith("/msg", StringComparison.Ordinal));

        await alice.SendAsync(new { type = "command", line = "/msg bob via a command line" });
        Assert.Equal("via a command line", (await bob.ExpectTypeAsync("private_message")).GetProperty("content").GetString());

        await alice.SendAsync(new { type = "quit" });
        Assert.Equal("quit", (await alice.ExpectTypeAsync("goodbye")).GetProperty("reason").GetString());
        await alice.Lines.WaitClosedAsync();
        Assert.Equal("alice", (await bob.ExpectTypeAsync("system", e => e.GetProperty("event").GetString() == "left")).GetProperty("username").GetString());
    }

    [Fact]
    public async Task Colour_is_carried_and_validated()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await alice.SendAsync(new { type = "message", content = "in red", color = "RED" });
        Assert.Equal("red", (await alice.ExpectTypeAsync("message")).GetProperty("color").GetString());
        await alice.SendAsync(new { type = "message", content = "x", color = "octarine" });
        Assert.Equal("invalid_color", (await alice.ExpectTypeAsync("error")).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{\"type\":\"message\"", "invalid_json")]
    [InlineData("{\"type\":\"teleport\"}", "unknown_type")]
    [InlineData("{\"content\":\"no type\"}", "missing_field")]
    [InlineData("{\"type\":\"message\",\"content\":42}", "invalid_field")]
    [InlineData("{\"type\":\"message\",\"content\":\"   \"}", "empty_message")]
    [InlineData("{\"type\":\"message\"} {\"type\":\"who\"}", "invalid_json")]
    public async Task Bad_requests_get_a_coded_error_and_the_session_survives(string line, string code)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await alice.Lines.SendLineAsync(line);
        var error = await alice.ReadAsync();
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        await alice.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await alice.ReadAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Requests_before_join_are_refused()
    {
        await using var server = await TestServer.StartAsync();
        await using var anon = new JsonLineClient(await server.ConnectAsync());
        await anon.SendAsync(new { type = "message", content = "hi" });
        Assert.Equal("not_joined", (await anon.ExpectTypeAsync("error")).GetProperty("code").GetString());
        await anon.SendAsync(new { type = "join" });
        Assert.Equal("missing_field", (await anon.ExpectTypeAsync("error")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Every_server_line_is_one_json_object()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await alice.SendAsync(new { type = "message", content = "line\nbreak \"quoted\" ünïcödé 🎉" });
        var message = await alice.ExpectTypeAsync("message");
        Assert.Equal("line break \"quoted\" ünïcödé 🎉", message.GetProperty("content").GetString());
        foreach (var line in alice.Lines.Seen)
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
        }
    }

    [Fact]
    public async Task Quit_before_joining_says_goodbye()
    {
        await using var server = await TestServer.StartAsync();
        await using var anon = new JsonLineClient(await server.ConnectAsync());
        await anon.SendAsync(new { type = "quit" });
        var goodbye = await anon.ExpectTypeAsync("goodbye");
        Assert.Equal("Goodbye!", goodbye.GetProperty("message").GetString());
        await anon.Lines.WaitClosedAsync();
    }
}
