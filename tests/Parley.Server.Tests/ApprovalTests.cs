using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Parley.Testing;

namespace Parley.Server.Tests;

public sealed class ApprovalTests
{
    private const string Token = "approval-token-123";

    [Fact]
    public async Task Text_user_waits_then_joins_when_approved()
    {
        await using var server = await TestServer.StartAsync(Configure);
        await using var first = await JoinApprovedJsonAsync(server, "first");
        await using var bob = await server.ConnectAsync();

        await bob.SendLineAsync("bob");
        await bob.ExpectAsync("*** Waiting for an operator to let you in as bob...");
        Assert.DoesNotContain("bob", server.Hub.Usernames);
        Assert.Equal("bob", Assert.Single(server.Hub.PendingJoins).Username);

        // While waiting, nothing is sent on the user's behalf.
        await bob.SendLineAsync("can I talk yet?");
        await bob.ExpectAsync("ERROR Your request to join is waiting for an operator's approval");

        using var http = Client(server);
        var pending = await http.GetFromJsonAsync<JsonElement>("/api/pending");
        Assert.Equal("bob", pending.EnumerateArray().Single().GetProperty("username").GetString());
        Assert.Equal("pending", pending.EnumerateArray().Single().GetProperty("state").GetString());

        using var approved = await http.PostAsJsonAsync("/api/approve", new { username = "bob" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await bob.ExpectAsync("Welcome to Parley, bob! Type /help for commands.");
        await first.ExpectTypeAsync("system", m => m.GetProperty("message").GetString() == "bob joined the chat");
        Assert.Empty(server.Hub.PendingJoins);
        Assert.DoesNotContain(first.Lines.Seen, l => l.Contains("can I talk yet", StringComparison.Ordinal));

        await bob.SendLineAsync("now I can");
        await first.ExpectTypeAsync("message", m => m.GetProperty("content").GetString() == "now I can");
    }

    [Fact]
    public async Task Rejected_json_user_is_told_why_and_closed()
    {
        await using var server = await TestServer.StartAsync(Configure);
        await using var eve = new JsonLineClient(await server.ConnectAsync());
        await eve.SendAsync(new { type = "join", username = "eve" });
        Assert.Equal(
            """{"type":"pending","username":"eve","message":"Waiting for an operator to let you in as eve..."}""",
            await eve.Lines.ReadLineAsync());

        using var http = Client(server);
        using var rejected = await http.PostAsJsonAsync("/api/reject", new { username = "eve", reason = "not today" });
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);

        var error = await eve.ExpectTypeAsync("error");
        Assert.Equal("join_rejected", error.GetProperty("code").GetString());
        Assert.Equal("Your request to join was rejected: not today", error.GetProperty("message").GetString());
        await eve.Lines.WaitClosedAsync();
        Assert.Empty(server.Hub.PendingJoins);

        using var again = await http.PostAsJsonAsync("/api/reject", new { username = "eve" });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        using var none = await http.PostAsJsonAsync("/api/approve", new { username = "eve" });
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task A_waiting_name_is_reserved_and_freed_when_its_client_leaves()
    {
        await using var server = await TestServer.StartAsync(Configure);
        var waiting = await server.ConnectWebSocketAsync();
        await waiting.SendAsync(new { type = "join", username = "dave" });
        await waiting.ExpectTypeAsync("pending");

        await using var rival = await server.ConnectWebSocketAsync();
        await rival.SendAsync(new { type = "join", username = "Dave" });
        Assert.Equal("username_taken", (await rival.ExpectTypeAsync("error")).GetProperty("code").GetString());

        // Asking again while waiting is answered, not silently ignored.
        await waiting.SendAsync(new { type = "join", username = "dave" });
        Assert.Equal("awaiting_approval", (await waiting.ExpectTypeAsync("error")).GetProperty("code").GetString());

        await waiting.CloseAsync();
        await waiting.DisposeAsync();
        await Eventually.TrueAsync(() => server.Hub.PendingJoins.Count == 0, LineClient.DefaultTimeout, "the waiting request to be dropped");

        await rival.SendAsync(new { type = "join", username = "Dave" });
        await rival.ExpectTypeAsync("pending");
        Assert.True(server.Hub.Approve("dave"));
        var welcome = await rival.ExpectTypeAsync("welcome");
        Assert.Equal("Dave", welcome.GetProperty("username").GetString());
    }

    [Fact]
    public async Task Status_reports_approval_and_the_waiting_count()
    {
        await using var server = await TestServer.StartAsync(Configure);
        await using var waiting = await server.ConnectWebSocketAsync();
        await waiting.SendAsync(new { type = "join", username = "zed" });
        await waiting.ExpectTypeAsync("pending");

        using var http = Client(server);
        var status = await http.GetFromJsonAsync<JsonElement>("/api/status");
        Assert.True(status.GetProperty("approveJoins").GetBoolean());
        Assert.Equal(1, status.GetProperty("pending").GetInt32());
        Assert.Equal(0, status.GetProperty("users").GetInt32());
    }

    private static void Configure(ServerOptions options)
    {
        options.AdminToken = Token;
        options.Hub.ApproveJoins = true;
    }

    private static async Task<JsonLineClient> JoinApprovedJsonAsync(TestServer server, string name)
    {
        var client = new JsonLineClient(await server.ConnectAsync());
        await client.SendAsync(new { type = "join", username = name });
        await client.ExpectTypeAsync("pending");
        Assert.True(server.Hub.Approve(name));
        await client.ExpectTypeAsync("welcome");
        return client;
    }

    private static HttpClient Client(TestServer server)
    {
        var http = new HttpClient { BaseAddress = server.WebUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }
}
