using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Parley.Testing;

namespace Parley.Server.Tests;

public sealed class AdminApiTests
{
    private const string Token = "test-admin-token-1234";

    [Theory]
    [InlineData("GET", "/api/status")]
    [InlineData("GET", "/api/clients")]
    [InlineData("GET", "/api/pending")]
    [InlineData("GET", "/api/activity")]
    [InlineData("POST", "/api/announce")]
    [InlineData("POST", "/api/kick")]
    [InlineData("POST", "/api/approve")]
    [InlineData("POST", "/api/reject")]
    public async Task Every_api_call_needs_the_token(string method, string path)
    {
        await using var server = await TestServer.StartAsync(o => o.AdminToken = Token);
        await using var bob = await server.JoinTextAsync("bob");
        using var http = new HttpClient { BaseAddress = server.WebUri };

        foreach (var header in new[] { null, "Bearer wrong-token", "Bearer " + Token + "x", "Basic " + Token, Token })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (header is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", header);
            }

            if (method == "POST")
            {
                request.Content = JsonContent.Create(new { message = "x", username = "bob", reason = "x" });
            }

            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.DoesNotContain("bob", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Nothing happened: bob is still here, and heard no announcement.
        Assert.Contains("bob", server.Hub.Usernames);
        Assert.DoesNotContain(bob.Seen, l => l.Contains("[SERVER]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Healthz_needs_no_token_and_the_admin_page_needs_one()
    {
        await using var server = await TestServer.StartAsync(o => o.AdminToken = Token);
        using var http = new HttpClient { BaseAddress = server.WebUri };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);

        foreach (var url in new[] { "/admin", "/admin?token=nope", "/admin?token=" })
        {
            using var refused = await http.GetAsync(url);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            var page = await refused.Content.ReadAsStringAsync();
            Assert.Contains("Admin token required", page, StringComparison.Ordinal);
            Assert.DoesNotContain("Connected clients", page, StringComparison.Ordinal);
        }

        using var byQuery = await http.GetAsync("/admin?token=" + Token);
        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);
        Assert.Contains("Connected clients", await byQuery.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("no-store", byQuery.Headers.CacheControl?.ToString());

        using var byCookie = new HttpRequestMessage(HttpMethod.Get, "/admin");
        byCookie.Headers.Add("Cookie", "parley_admin=" + Token);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(byCookie)).StatusCode);
    }

    [Fact]
    public async Task A_token_with_url_special_characters_works_in_the_query_and_the_cookie()
    {
        const string Odd = "a+b/c=d&e;f%g";
        await using var server = await TestServer.StartAsync(o => o.AdminToken = Odd);
        using var http = new HttpClient { BaseAddress = server.WebUri };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/admin?token=" + Uri.EscapeDataString(Odd))).StatusCode);
        using var byCookie = new HttpRequestMessage(HttpMethod.Get, "/admin");
        byCookie.Headers.Add("Cookie", "parley_admin=" + Uri.EscapeDataString(Odd)); // as admin.js stores it
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(byCookie)).StatusCode);
        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        api.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Odd);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(api)).StatusCode);
    }

    [Fact]
    public async Task A_token_is_generated_when_none_is_configured()
    {
        await using var server = await TestServer.StartAsync();
        Assert.True(server.AdminToken.Length >= 24);
        await using var other = await TestServer.StartAsync();
        Assert.NotEqual(server.AdminToken, other.AdminToken);

        using var http = Client(server, server.AdminToken);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/status")).StatusCode);
    }

    [Fact]
    public async Task Status_and_clients_describe_every_connection()
    {
        await using var server = await TestServer.StartAsync(o => o.AdminToken = Token);
        await using var alice = await server.JoinWebSocketAsync("alice");
        await using var bob = await server.JoinTextAsync("bob");
        await using var carol = await server.JoinJsonAsync("carol");
        await bob.SendLineAsync("one");
        await bob.SendLineAsync("two");
        await bob.ExpectAsync("bob: two");
        using var http = Client(server, Token);

        var status = await http.GetFromJsonAsync<JsonElement>("/api/status");
        Assert.Equal(3, status.GetProperty("connections").GetInt32());
        Assert.Equal(3, status.GetProperty("users").GetInt32());
        Assert.Equal(2, status.GetProperty("messagesTotal").GetInt64());
        Assert.True(status.GetProperty("uptimeSeconds").GetInt64() >= 0);
        Assert.True(status.GetProperty("messagesPerSecond").GetDouble() >= 0);
        Assert.False(status.GetProperty("approveJoins").GetBoolean());

        var clients = (await http.GetFromJsonAsync<JsonElement>("/api/clients")).EnumerateArray().ToDictionary(c => c.GetProperty("username").GetString()!);
        Assert.Equal(["alice", "bob", "carol"], clients.Keys.Order().ToArray());
        Assert.Equal(("ws", "json"), (clients["alice"].GetProperty("transport").GetString(), clients["alice"].GetProperty("protocol").GetString()));
        Assert.Equal(("tcp", "text"), (clients["bob"].GetProperty("transport").GetString(), clients["bob"].GetProperty("protocol").GetString()));
        Assert.Equal(("tcp", "json"), (clients["carol"].GetProperty("transport").GetString(), clients["carol"].GetProperty("protocol").GetString()));
        Assert.Equal(2, clients["bob"].GetProperty("messagesSent").GetInt64());
        Assert.Equal("joined", clients["bob"].GetProperty("state").GetString());
        Assert.StartsWith("127.0.0.1:", clients["alice"].GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.True(clients["alice"].GetProperty("connectedAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Announcement_reaches_every_client_of_every_mode()
    {
        await using var server = await TestServer.StartAsync(o => o.AdminToken = Token);
        await using var ws = await server.JoinWebSocketAsync("alice");
        await using var text = await server.JoinTextAsync("bob");
        await using var json = await server.JoinJsonAsync("carol");
        using var http = Client(server, Token);

        using var response = await http.PostAsJsonAsync("/api/announce", new { message = "Maintenance at noon" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ok").GetBoolean());

        await ws.ExpectTypeAsync("server", m => m.GetProperty("message").GetString() == "Maintenance at noon");
        await json.ExpectTypeAsync("server", m => m.GetProperty("message").GetString() == "Maintenance at noon");
        await text.ExpectAsync(l => l.EndsWith("] [SERVER] Maintenance at noon", StringComparison.Ordinal));

        using var empty = await http.PostAsJsonAsync("/api/announce", new { message = "   " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("empty", (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kick_disconnects_the_user_with_the_reason_and_unknown_users_are_404()
    {
        await using var server = await TestServer.StartAsync(o => o.AdminToken = Token);
        await using var alice = await server.JoinWebSocketAsync("alice");
        await using var bob = await server.JoinTextAsync("bob");
        using var http = Client(server, Token);

        using var response = await http.PostAsJsonAsync("/api/kick", new { username = "BOB", reason = "flooding" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rest = await bob.WaitClosedAsync();
        Assert.Contains("You have been kicked: flooding", rest);
        await alice.ExpectTypeAsync("system", m => m.GetProperty("message").GetString() == "bob left the chat (kicked: flooding)");

        using var unknown = await http.PostAsJsonAsync("/api/kick", new { username = "nobody" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var missing = await http.PostAsJsonAsync("/api/kick", new { reason = "who?" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task Bad_bodies_are_400_and_unknown_endpoints_404()
    {
        await using var server = await TestServer.StartAsync(o => o.AdminToken = Token);
        using var http = Client(server, Token);

        foreach (var body in new[] { "not json", "[1,2]", "", "{\"message\": 5}" })
        {
            using var response = await http.PostAsync("/api/announce", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/nothing-here")).StatusCode);
    }

    [Fact]
    public async Task Activity_long_poll_answers_as_soon_as_something_happens()
    {
        await using var server = await TestServer.StartAsync(o => o.AdminToken = Token);
        using var http = Client(server, Token);
        var before = await http.GetFromJsonAsync<JsonElement>("/api/activity");
        var last = before.GetProperty("last").GetInt64();

        var waiting = http.GetFromJsonAsync<JsonElement>($"/api/activity?after={last}&wait=20");
        await using var bob = await server.JoinTextAsync("bob");
        await bob.SendLineAsync("hello operators");

        var texts = new List<string>();
        var deadline = DateTime.UtcNow + LineClient.DefaultTimeout;
        while (!texts.Contains("bob: hello operators"))
        {
            Assert.True(DateTime.UtcNow < deadline, "activity never showed the message: " + string.Join(" | ", texts));
            var batch = await waiting;
            Assert.True(batch.GetProperty("last").GetInt64() > last);
            last = batch.GetProperty("last").GetInt64();
            texts.AddRange(batch.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("text").GetString()!));
            waiting = http.GetFromJsonAsync<JsonElement>($"/api/activity?after={last}&wait=20");
        }

        Assert.Contains("*** bob joined the chat", texts);
        Assert.Contains(texts, t => t.Contains("joined as bob", StringComparison.Ordinal));
    }

    private static HttpClient Client(TestServer server, string token)
    {
        var http = new HttpClient { BaseAddress = server.WebUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
