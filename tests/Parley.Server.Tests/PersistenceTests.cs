using System.Text.Json;
using Parley.Storage.Sqlite;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>What survives a restart of a real server on the same data directory.</summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly TempDataDirectory _data = new("parley-persist");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task History_accounts_bans_and_rooms_survive_a_restart()
    {
        await using (var server = await StartAsync())
        {
            await using var alice = await server.JoinTextAsync("alice");
            await alice.SendLineAsync("/register alice-password");
            await alice.ExpectAsync("Registered alice");
            await alice.SendLineAsync("/join #dev private");
            await alice.ExpectAsync("You created #dev (private)");
            await alice.SendLineAsync("/topic Release planning");
            await alice.ExpectAsync("set the topic");
            await alice.SendLineAsync("/invite bob");
            await alice.ExpectAsync("Invited bob");
            for (var i = 0; i < 3; i++)
            {
                await alice.SendLineAsync($"dev note {i}");
                await alice.ExpectAsync($"#dev alice: dev note {i}");
            }

            server.Hub.Ban("mallory", null, "test");
        }

        Assert.True(File.Exists(Path.Combine(_data.Path, "parley.db")));
        await using (var server = await StartAsync())
        {
            // The account: the name now needs its password.
            await using var impostor = await server.ConnectAsync();
            await impostor.SendLineAsync("alice");
            await impostor.ExpectAsync("alice is registered. Password:");
            await impostor.SendLineAsync("wrong-password");
            await impostor.ExpectAsync("ERROR Wrong password.");

            await using var alice = new JsonLineClient(await server.ConnectAsync());
            await alice.SendAsync(new { type = "join", username = "alice", password = "alice-password" });
            Assert.True((await alice.ExpectTypeAsync("welcome")).GetProperty("registered").GetBoolean());

            // The ban.
            await using var mallory = await server.ConnectAsync();
            await mallory.SendLineAsync("mallory");
            await mallory.ExpectAsync("ERROR mallory is banned");

            // The private room with its topic, invitation and history, replayed in order.
            await using var bob = await server.JoinTextAsync("bob");
            await bob.SendLineAsync("/join #dev");
            await bob.ExpectAsync("*** Topic of #dev: Release planning");
            for (var i = 0; i < 3; i++)
            {
                Assert.Matches($@"^\[\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\] #dev alice: dev note {i}$", await bob.ExpectAsync(l => l.Contains("#dev alice:", StringComparison.Ordinal)));
            }

            await bob.ExpectAsync("*** End of history of #dev (3 messages)");
            await using var eve = await server.JoinTextAsync("eve");
            await eve.SendLineAsync("/join #dev");
            await eve.ExpectAsync("ERROR #dev is private");

            // Search over the stored messages.
            await alice.SendAsync(new { type = "search", query = "note" });
            var results = new List<JsonElement>();
            for (var i = 0; i < 3; i++)
            {
                results.Add(await alice.ExpectTypeAsync("message", m => m.TryGetProperty("history", out _)));
            }

            Assert.Equal(["dev note 2", "dev note 1", "dev note 0"], results.Select(r => r.GetProperty("content").GetString()));
            Assert.Equal(3, (await alice.ExpectTypeAsync("search")).GetProperty("count").GetInt32());
        }
    }

    [Fact]
    public async Task Offline_private_messages_wait_in_the_store_across_a_restart()
    {
        await using (var server = await StartAsync())
        {
            await using var bob = await server.JoinTextAsync("bob");
            await bob.SendLineAsync("/register bob-password");
            await bob.ExpectAsync("Registered bob");
            await bob.SendLineAsync("/quit");
            await bob.WaitClosedAsync();
            await server.WaitForUsersAsync(0);

            await using var alice = await server.JoinTextAsync("alice");
            await alice.SendLineAsync("/msg bob call me");
            await alice.ExpectAsync("[PM to bob] call me (delivered later)");
        }

        await using (var server = await StartAsync())
        {
            await using var bob = new JsonLineClient(await server.ConnectAsync());
            await bob.SendAsync(new { type = "join", username = "bob", password = "bob-password" });
            var pm = await bob.ExpectTypeAsync("private_message");
            Assert.Equal(("alice", "call me", true), (pm.GetProperty("sender").GetString(), pm.GetProperty("content").GetString(), pm.GetProperty("offline").GetBoolean()));
        }
    }

    [Fact]
    public async Task Replies_keep_request_order_behind_messages_still_being_stored()
    {
        await using var server = await StartAsync();
        await using var alice = await server.JoinTextAsync("alice");
        var burst = string.Concat(Enumerable.Range(0, 200).Select(i => $"m{i}\n")) + "/ping\n";
        await alice.SendRawAsync(System.Text.Encoding.UTF8.GetBytes(burst));
        await alice.ExpectAsync("PONG");
        Assert.Equal(200, alice.Seen.Count(l => l.Contains("alice: m", StringComparison.Ordinal)));
        using var store = SqliteMessageStore.Open(Path.Combine(_data.Path, "parley.db"));
        Assert.Equal(200, store.History("#general", null, 1000).Count);
    }

    private Task<TestServer> StartAsync() => TestServer.StartAsync(o =>
    {
        o.DataDirectory = _data.Path;
        o.Hub.HistoryReplay = 50;
    });
}
