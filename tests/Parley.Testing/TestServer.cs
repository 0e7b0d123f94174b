using System.Net;
using Microsoft.Extensions.Logging;
using Parley.Core;
using Parley.Server;

namespace Parley.Testing;

/// <summary>A real Parley server on ephemeral loopback ports with its own temporary data directory.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly TempDataDirectory? _ownData;

    private TestServer(ParleyServer server, string dataDirectory, TempDataDirectory? ownData)
    {
        Server = server;
        DataDirectory = dataDirectory;
        _ownData = ownData;
    }

    public ParleyServer Server { get; }

    public Hub Hub => Server.Hub;

    public string DataDirectory { get; }

    public IPEndPoint ChatEndPoint => new(IPAddress.Loopback, Server.ChatEndPoint.Port);

    public Uri WebUri => new($"{(Server.WebIsHttps ? "https" : "http")}://127.0.0.1:{Server.WebEndPoint!.Port}/");

    /// <summary>The TLS chat endpoint (only when started with TLS).</summary>
    public IPEndPoint TlsEndPoint => new(IPAddress.Loopback, (Server.TlsEndPoint ?? throw new InvalidOperationException("TLS is off")).Port);

    public string ChatLogPath => Server.ChatLogPath;

    /// <summary>The token for /admin and /api/ (generated unless the test configured one).</summary>
    public string AdminToken => Server.AdminToken;

    /// <summary>Starts a server; a given <paramref name="dataDirectory"/> is kept afterwards (for restart tests), a generated one deleted.</summary>
    public static async Task<TestServer> StartAsync(Action<ServerOptions>? configure = null, TimeProvider? time = null, string? dataDirectory = null)
    {
        var ownData = dataDirectory is null ? new TempDataDirectory("parley-test") { ClearSqlitePools = false } : null;
        var data = dataDirectory ?? ownData!.Path;
        var options = new ServerOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            WebPort = 0,
            DataDirectory = data,
            Hub = new HubOptions { RateLimit = 0 },
        };
        configure?.Invoke(options);
        var server = ParleyServer.Create(options, logging => logging.SetMinimumLevel(LogLevel.Warning), time);
        await server.StartAsync().ConfigureAwait(false);
        return new TestServer(server, data, ownData);
    }

    /// <summary>A raw line client connected to the chat port.</summary>
    public Task<LineClient> ConnectAsync() => LineClient.ConnectAsync(ChatEndPoint);

    /// <summary>A text-mode client that has joined as <paramref name="name"/> and read its welcome.</summary>
    public async Task<LineClient> JoinTextAsync(string name)
    {
        var client = await ConnectAsync().ConfigureAwait(false);
        await client.SendLineAsync(name).ConfigureAwait(false);
        await client.ExpectAsync(l => l.StartsWith("Users online", StringComparison.Ordinal)).ConfigureAwait(false);
        return client;
    }

    /// <summary>A JSON-lines client that has joined as <paramref name="name"/> and read its welcome.</summary>
    public async Task<JsonLineClient> JoinJsonAsync(string name)
    {
        var client = new JsonLineClient(await ConnectAsync().ConfigureAwait(false));
        await client.SendAsync(new { type = "join", username = name }).ConfigureAwait(false);
        await client.ExpectTypeAsync("welcome").ConfigureAwait(false);
        return client;
    }

    /// <summary>A WebSocket client connected to /ws on the web port (not joined yet).</summary>
    public Task<WebSocketJsonClient> ConnectWebSocketAsync(IReadOnlyDictionary<string, string>? headers = null) => WebSocketJsonClient.ConnectAsync(WebUri, headers);

    /// <summary>A WebSocket client that has joined as <paramref name="name"/> and read its welcome.</summary>
    public async Task<WebSocketJsonClient> JoinWebSocketAsync(string name)
    {
        var client = await ConnectWebSocketAsync().ConfigureAwait(false);
        await client.JoinAsync(name).ConfigureAwait(false);
        return client;
    }

    /// <summary>Waits until the hub has <paramref name="count"/> joined users (a join is observable only on the server).</summary>
    public Task WaitForUsersAsync(int count, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(() => Hub.Usernames.Count == count, timeout ?? LineClient.DefaultTimeout, $"{count} users joined");

    /// <summary>The server's view of its connections and flow control, for failure messages.</summary>
    public string Describe() =>
        $"flow paused={Hub.Flow.IsPaused} congested={Hub.Flow.CongestedCount}; sessions: " +
        string.Join("; ", Hub.Sessions.Select(s => $"{s.Username ?? "#" + s.Id} {s.State} queued={s.QueuedBytes}"));

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
        _ownData?.Dispose();
    }
}
