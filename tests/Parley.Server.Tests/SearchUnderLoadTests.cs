using System.Text;
using System.Text.Json;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// Searches on the real server and its SQLite file while another user keeps the writer busy: each search
/// finds the asker's message sent just before it, answers before the asker's next request, and the room
/// loses and reorders nothing meanwhile.
/// </summary>
public sealed class SearchUnderLoadTests
{
    private const int Flood = 200;
    private const int Searches = 15;

    [Fact]
    public async Task Searches_beside_a_busy_room_find_the_askers_own_message_and_answer_in_request_order()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinJsonAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");
        await using var carol = await server.JoinJsonAsync("carol");

        var flooding = Task.Run(async () =>
        {
            for (var i = 0; i < Flood; i++)
            {
                await bob.SendAsync(new { type = "message", content = $"bob says {i}" });
            }
        });

        for (var k = 0; k < Searches; k++)
        {
            // In one write, so the server has the message, the search for it and the ping at once.
            var needle = $"needle{k}";
            var requests = string.Join('\n', JsonSerializer.Serialize(new { type = "message", content = $"{needle} from alice" }), JsonSerializer.Serialize(new { type = "search", query = needle }), JsonSerializer.Serialize(new { type = "ping" })) + "\n";
            await alice.Lines.SendRawAsync(Encoding.UTF8.GetBytes(requests));
            Assert.Equal(["echo", "found", "search 1", "pong"], await SeenUntilPongAsync(() => alice.ReadAsync(), needle));
        }

        await flooding;
        var said = new List<string>();
        while (said.Count < Flood)
        {
            var message = await carol.ExpectTypeAsync("message", m => m.GetProperty("username").GetString() == "bob");
            said.Add(message.GetProperty("content").GetString()!);
        }

        Assert.Equal(Enumerable.Range(0, Flood).Select(i => $"bob says {i}"), said);
    }

    [Fact]
    public async Task Over_a_websocket_the_next_request_waits_for_the_search_answer()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectWebSocketAsync();
        await alice.SendAsync(new { type = "join", username = "alice" });
        await alice.ExpectTypeAsync("welcome");
        for (var k = 0; k < 5; k++)
        {
            var needle = $"needle{k}";
            await alice.SendAsync(new { type = "message", content = $"{needle} from alice" });
            await alice.SendAsync(new { type = "search", query = needle });
            await alice.SendAsync(new { type = "ping" });
            Assert.Equal(["echo", "found", "search 1", "pong"], await SeenUntilPongAsync(() => ReadJsonAsync(alice), needle));
        }
    }

    private static async Task<JsonElement> ReadJsonAsync(WebSocketJsonClient client) =>
        JsonDocument.Parse(await client.ReadTextAsync() ?? throw new IOException("WebSocket closed")).RootElement.Clone();

    // What the asker is told about their message and search, in order, until the pong; other users' chatter is skipped.
    private static async Task<List<string>> SeenUntilPongAsync(Func<Task<JsonElement>> read, string needle)
    {
        var seen = new List<string>();
        while (true)
        {
            var evt = await read();
            var type = evt.GetProperty("type").GetString();
            var history = evt.TryGetProperty("history", out var flag) && flag.GetBoolean();
            if (type == "message" && evt.GetProperty("content").GetString() == $"{needle} from alice")
            {
                seen.Add(history ? "found" : "echo");
            }
            else if (type == "search")
            {
                seen.Add($"search {evt.GetProperty("count").GetInt32()}");
            }
            else if (type == "pong")
            {
                seen.Add("pong");
                return seen;
            }
            else if (type == "error")
            {
                seen.Add(evt.GetRawText());
            }
        }
    }
}
