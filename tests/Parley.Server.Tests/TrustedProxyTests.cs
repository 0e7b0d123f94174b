using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// X-Forwarded-For on the web port (<c>--trusted-proxy</c>), over real sockets: the test client plays
/// the reverse proxy from 127.0.0.1 and adds the header a proxy would.
/// </summary>
public sealed class TrustedProxyTests
{
    [Fact]
    public async Task Via_a_trusted_proxy_the_per_address_limit_applies_to_each_forwarded_address()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.TrustedProxies = ["127.0.0.1"];
            o.Hub.Abuse.MaxConnectionsPerIp = 1;
        });

        // Loopback is exempt from the limits, but the forwarded addresses are not loopback.
        await using var first = await server.ConnectWebSocketAsync(Forwarded("203.0.113.5"));
        await first.JoinAsync("first");
        await using (var again = await server.ConnectWebSocketAsync(Forwarded("203.0.113.5")))
        {
            var error = await again.ExpectTypeAsync("error");
            Assert.Equal("too_many_connections", error.GetProperty("code").GetString());
        }

        await using var other = await server.ConnectWebSocketAsync(Forwarded("198.51.100.7"));
        await other.JoinAsync("other");

        // The session's address (admin view, logs, flood control) is the client's, not the proxy's.
        Assert.StartsWith("203.0.113.5:", server.Hub.Sessions.Single(s => s.Username == "first").RemoteAddress, StringComparison.Ordinal);
        Assert.StartsWith("198.51.100.7:", server.Hub.Sessions.Single(s => s.Username == "other").RemoteAddress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forwarded_header_from_an_untrusted_peer_is_ignored()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.TrustedProxies = ["192.0.2.99", "10.0.0.0/8"];
            o.Hub.Abuse.MaxConnectionsPerIp = 1;
            o.Hub.Abuse.ExemptLoopback = false;
        });

        await using var first = await server.ConnectWebSocketAsync(Forwarded("203.0.113.5"));
        await first.JoinAsync("first");
        Assert.StartsWith("127.0.0.1:", server.Hub.Sessions.Single(s => s.Username == "first").RemoteAddress, StringComparison.Ordinal);

        // Another claimed address buys no second connection: both are 127.0.0.1.
        await using var second = await server.ConnectWebSocketAsync(Forwarded("198.51.100.7"));
        var error = await second.ExpectTypeAsync("error");
        Assert.Equal("too_many_connections", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Serve_takes_trusted_proxies_from_flags_and_the_environment()
    {
        using var data = new TempDataDirectory();
        var (server, _) = await ParleyProcess.StartServerAsync(
            data.Path,
            ["--trusted-proxy", "192.0.2.1", "--trusted-proxy", "127.0.0.1,::1", "--admin-token", "proxy-token-1"]);
        await using (server)
        {
            var web = server.WebPort;
            await using var client = await WebSocketJsonClient.ConnectAsync(new Uri($"http://127.0.0.1:{web}/"), Forwarded("203.0.113.9"));
            await client.JoinAsync("proxied");
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{web}/") };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "proxy-token-1");
            var clients = await http.GetFromJsonAsync<JsonElement>("/api/clients");
            Assert.Contains(clients.EnumerateArray(), c => c.GetProperty("address").GetString()!.StartsWith("203.0.113.9:", StringComparison.Ordinal));
        }

        var (refused, _) = await RunToExitAsync(data.Path, new Dictionary<string, string> { ["PARLEY_TRUSTED_PROXY"] = "10.0.0.0/8,not-an-address" });
        Assert.Contains("--trusted-proxy: 'not-an-address' is not an IP address or network", refused);
    }

    [Fact]
    public async Task A_config_file_may_list_trusted_proxies_as_an_array()
    {
        using var data = new TempDataDirectory();
        var config = System.IO.Path.Combine(data.Path, "parley.json");
        await File.WriteAllTextAsync(config, """{ "trusted-proxy": ["192.0.2.1", "127.0.0.1"], "admin-token": "proxy-token-2" }""");
        var (server, _) = await ParleyProcess.StartServerAsync(data.Path, ["--config", config]);
        await using (server)
        {
            var web = new Uri($"http://127.0.0.1:{server.WebPort}/");
            await using var client = await WebSocketJsonClient.ConnectAsync(web, Forwarded("203.0.113.10"));
            await client.JoinAsync("proxied");
            using var http = new HttpClient { BaseAddress = web };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "proxy-token-2");
            var clients = await http.GetFromJsonAsync<JsonElement>("/api/clients");
            Assert.Contains(clients.EnumerateArray(), c => c.GetProperty("address").GetString()!.StartsWith("203.0.113.10:", StringComparison.Ordinal));
        }
    }

    private static Dictionary<string, string> Forwarded(string address) => new() { ["X-Forwarded-For"] = address };

    private static async Task<(string Output, int ExitCode)> RunToExitAsync(string data, Dictionary<string, string> environment)
    {
        await using var process = ParleyProcess.Start(["serve", "--host", "127.0.0.1", "--port", "0", "--web-port", "0", "--data", data], environment);
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, code);
        return (string.Join("\n", process.Output), code);
    }
}
