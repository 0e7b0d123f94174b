using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Parley.Storage.Sqlite;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Server.Tests;

/// <summary>
/// The real `parley serve` with its SQLite store on a tiny tmpfs that fills up (root in CI, like
/// <see cref="DataDirectoryFaultTests"/>). Chosen behaviour: the server keeps running; a message it
/// cannot store is refused with store_failed and reaches nobody; when space returns storing resumes
/// without a restart; the database stays intact and holds every message anyone saw.
/// </summary>
public sealed class StoreDiskFullTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _mount = Path.Combine(Path.GetTempPath(), "parley-dbfs-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_mount);
        await Tmpfs.MountAsync(_mount, "1m");
    }

    public async Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await Tmpfs.UnmountAsync(_mount);
        Directory.Delete(_mount);
    }

    [Fact]
    public async Task A_full_disk_refuses_messages_with_store_failed_keeps_serving_and_loses_nothing_acknowledged()
    {
        var (server, port) = await ParleyProcess.StartServerAsync(_mount, ["--rate-limit", "0"]);
        await using var running = server;
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        await using var alice = await JoinAsync(endPoint, "alice");
        await using var dave = await JoinAsync(endPoint, "dave");
        await using var bob = await JoinAsync(endPoint, "bob");
        var acknowledged = new List<string>();
        var refused = new List<string>();
        Assert.True(await SendAsync(alice, "before the disk fills"));
        acknowledged.Add("before the disk fills");

        // Some room is left, so the disk fills up between messages, not before them.
        var filler = Path.Combine(_mount, "filler");
        await Tmpfs.FillAsync(filler, leaveBytes: 160 * 1024);
        await SendUntilRefusedAsync("full", acknowledged, refused, alice, dave);
        await server.ExpectOutputAsync("The message store cannot save messages: SQLite Error 13: 'database or disk is full'", TimeSpan.FromSeconds(10));

        // Everyone else is still served: commands answer, history (a read) works.
        await bob.SendAsync(new { type = "who" });
        await bob.ExpectTypeAsync("users");
        await bob.SendAsync(new { type = "history", limit = 5 });
        await bob.ExpectTypeAsync("history");

        // Other writes get an answer and keep the connection. Which answer depends on whether SQLite finds
        // room in WAL pages a failed commit already allocated, so the refusal itself is a Core test
        // (A_store_that_cannot_write_answers_commands_with_store_failed).
        await bob.SendAsync(new { type = "command", line = "/register correct-horse-battery" });
        await bob.Lines.ExpectAsync(l => l.Contains("\"store_failed\"", StringComparison.Ordinal) || l.Contains("Registered bob", StringComparison.Ordinal));
        await bob.SendAsync(new { type = "ping" });
        await bob.ExpectTypeAsync("pong");

        File.Delete(filler);
        Assert.True(await SendAsync(alice, "after the disk has room"), "storing did not resume once space returned");
        acknowledged.Add("after the disk has room");
        await server.ExpectOutputAsync("The message store is saving again", TimeSpan.FromSeconds(10));

        // Bob saw exactly what was acknowledged to the senders: nothing refused was delivered.
        await bob.SendAsync(new { type = "ping" });
        await bob.ExpectTypeAsync("pong");
        Assert.Equal(acknowledged.Order(StringComparer.Ordinal), LiveMessages(bob).Order(StringComparer.Ordinal));

        // Full again, and this time the server dies while it is: the database must not care.
        await Tmpfs.FillAsync(filler, leaveBytes: 160 * 1024);
        await SendUntilRefusedAsync("crash", acknowledged, refused, alice, dave);
        server.Signal(ParleyProcess.SigKill);
        await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
        File.Delete(filler);

        var (restarted, restartedPort) = await ParleyProcess.StartServerAsync(_mount, ["--rate-limit", "0"]);
        await using (restarted)
        {
            await using var carol = await JoinAsync(new IPEndPoint(IPAddress.Loopback, restartedPort), "carol");
            Assert.True(await SendAsync(carol, "after the restart"));
            acknowledged.Add("after the restart");
            restarted.Signal(ParleyProcess.SigTerm);
            Assert.Equal(0, await restarted.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }

        var (integrity, stored) = ReadDatabase(Path.Combine(_mount, SqliteMessageStore.FileName));
        Assert.Equal("ok", integrity);
        var missing = acknowledged.Except(stored).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged messages are not in the database: {string.Join(", ", missing.Select(Shorten))}");
        var extra = stored.Intersect(refused).ToList();
        Assert.True(extra.Count == 0, $"{extra.Count} refused messages were stored after all: {string.Join(", ", extra.Select(Shorten))}");
        output.WriteLine($"{acknowledged.Count} messages acknowledged, {refused.Count} refused; the server said:");
        foreach (var line in server.Output.Where(l => l.Contains("message store", StringComparison.Ordinal)))
        {
            output.WriteLine(Shorten(line));
        }
    }

    /// <summary>Every sender sends at once (so batches hold several messages) until each has been refused a few times.</summary>
    private static async Task SendUntilRefusedAsync(string tag, List<string> acknowledged, List<string> refused, params JsonLineClient[] senders)
    {
        // Whatever room the WAL still has is used up within a few hundred KiB of messages.
        var padding = new string('x', 2000);
        var results = await Task.WhenAll(senders.Select(async (client, s) =>
        {
            var (ok, failed) = (new List<string>(), new List<string>());
            for (var i = 0; i < 500 && failed.Count < 3; i++)
            {
                var content = $"{tag} {s} {i} {padding}";
                (await SendAsync(client, content) ? ok : failed).Add(content);
            }

            return (ok, failed);
        }));
        foreach (var (ok, failed) in results)
        {
            Assert.True(failed.Count == 3, $"the store never failed ({ok.Count} messages stored on a full disk)");
            acknowledged.AddRange(ok);
            refused.AddRange(failed);
        }
    }

    private static IEnumerable<string> LiveMessages(JsonLineClient client) =>
        client.Lines.Seen.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "message" && !e.TryGetProperty("history", out var history))
            .Select(e => e.GetProperty("content").GetString()!);

    private static (string? Integrity, List<string> Contents) ReadDatabase(string path)
    {
        using var db = new SqliteConnection($"Data Source={path};Pooling=False");
        db.Open();
        using var check = db.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        var integrity = (string?)check.ExecuteScalar();
        using var all = db.CreateCommand();
        all.CommandText = "SELECT content FROM messages ORDER BY id;";
        var contents = new List<string>();
        using var reader = all.ExecuteReader();
        while (reader.Read())
        {
            contents.Add(reader.GetString(0));
        }

        return (integrity, contents);
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";

    private static async Task<JsonLineClient> JoinAsync(IPEndPoint endPoint, string name)
    {
        var client = new JsonLineClient(await LineClient.ConnectAsync(endPoint));
        await client.SendAsync(new { type = "join", username = name });
        await client.ExpectTypeAsync("welcome");
        return client;
    }

    /// <summary>Sends one message; true when it came back as stored (echoed), false when refused with store_failed.</summary>
    private static async Task<bool> SendAsync(JsonLineClient client, string content)
    {
        await client.SendAsync(new { type = "message", content });
        var reply = await client.Lines.ExpectAsync(line =>
        {
            if (!line.StartsWith('{'))
            {
                return false;
            }

            var e = JsonDocument.Parse(line).RootElement;
            return e.GetProperty("type").GetString() switch
            {
                "message" => e.GetProperty("content").GetString() == content,
                "error" => e.GetProperty("code").GetString() == "store_failed",
                _ => false,
            };
        });
        return !reply.Contains("\"store_failed\"", StringComparison.Ordinal);
    }
}
