using System.Globalization;
using System.Security.Cryptography;
using Parley.Protocol.Events;
using Parley.Testing;

namespace Parley.Client.Tests;

/// <summary>
/// `parley chat --reconnect` as a real process: room membership belongs to the server's connection, so
/// after a reconnect the client joins its rooms again, and a file offered in a room before the connection
/// went still lands there.
/// </summary>
public sealed class ReconnectRoomsTests : IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-rejoin-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task After_a_restart_the_client_rejoins_its_rooms_returns_to_the_current_one_and_sends_held_lines_there()
    {
        var first = await TestServer.StartAsync();
        var port = first.ChatEndPoint.Port;
        await using var chat = ParleyProcess.Start("chat", "127.0.0.1", Port(port), "--user", "alice", "--reconnect");
        await chat.ExpectAsync("Users online");
        foreach (var line in new[] { "/join #dev", "/join #ops", "/join #qa", "/part #qa", "/join #dev" })
        {
            await chat.WriteLineAsync(line);
        }

        await chat.ExpectAsync("*** Now talking in #dev");

        await first.DisposeAsync();
        await chat.ExpectAsync("Reconnecting in");
        await chat.WriteLineAsync("typed while away");
        await using var second = await TestServer.StartAsync(o => o.Port = port);
        await using var bob = await ChatClient.ConnectAsync("127.0.0.1", port);
        await bob.JoinAsync("bob");

        await chat.ExpectAsync($"Reconnected to 127.0.0.1:{port} as alice.");
        await chat.ExpectAsync("] Rejoined #ops, #dev; talking in #dev"); // #qa was left before, so it stays left
        await chat.ExpectAsync("] #dev alice: typed while away"); // held until back in #dev, then sent there
        await chat.WriteLineAsync("/rooms");
        await chat.ExpectAsync("  #dev (1)");
        await chat.WriteLineAsync("/quit");
        Assert.Equal(0, await chat.WaitForExitAsync());
        Assert.DoesNotContain(chat.Output, l => l.Contains("#qa (", StringComparison.Ordinal));
        Assert.Single(chat.Output, l => l.Contains("You created #ops", StringComparison.Ordinal)); // the rejoin is one line, not a room notice each
    }

    [Fact]
    public async Task A_refused_rejoin_shows_the_server_s_error_and_the_other_rooms_are_still_rejoined()
    {
        var first = await TestServer.StartAsync();
        var port = first.ChatEndPoint.Port;
        await using var chat = ParleyProcess.Start("chat", "127.0.0.1", Port(port), "--user", "alice", "--reconnect");
        await chat.ExpectAsync("Users online");
        await chat.WriteLineAsync("/join #ops");
        await chat.WriteLineAsync("/join #dev");
        await chat.ExpectAsync("You created #dev");

        // The new server has none of these rooms and lets a user create only one.
        await first.DisposeAsync();
        await using var second = await TestServer.StartAsync(o =>
        {
            o.Port = port;
            o.Hub.MaxRoomsPerUser = 1;
        });

        await chat.ExpectAsync("error: could not rejoin #dev: You already created 1 rooms, the most one user may (1)");
        await chat.ExpectAsync("] Rejoined #ops; talking in #ops");
        await chat.WriteLineAsync("still here");
        await chat.ExpectAsync("] #ops alice: still here");
        await chat.WriteLineAsync("/quit");
        Assert.Equal(0, await chat.WaitForExitAsync());
    }

    [Fact]
    public async Task Rejoining_more_rooms_than_flood_control_allows_at_once_waits_for_it_instead_of_losing_rooms()
    {
        var rooms = Enumerable.Range(1, 12).Select(i => $"#r{i}").ToList();
        var first = await TestServer.StartAsync(o => o.Hub.MaxRoomsPerUser = 0);
        var port = first.ChatEndPoint.Port;
        await using var chat = ParleyProcess.Start("chat", "127.0.0.1", Port(port), "--user", "alice", "--reconnect");
        await chat.ExpectAsync("Users online");
        foreach (var room in rooms)
        {
            await chat.WriteLineAsync("/join " + room);
        }

        await chat.ExpectAsync("You created #r12");

        // The new server meters requests (5 a second, bursts of 10): twelve joins in a row outrun it.
        await first.DisposeAsync();
        await using var second = await TestServer.StartAsync(o =>
        {
            o.Port = port;
            o.Hub.MaxRoomsPerUser = 0;
            o.Hub.RateLimit = 5;
        });

        await chat.ExpectAsync($"] Rejoined {string.Join(", ", rooms)}; talking in #r12");
        await chat.WriteLineAsync("/quit");
        Assert.Equal(0, await chat.WaitForExitAsync());
        Assert.DoesNotContain(chat.Output, l => l.Contains("error:", StringComparison.Ordinal) && !l.Contains("disconnected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_upload_whose_chat_connection_drops_finishes_in_its_room_once_the_client_is_back_in_it()
    {
        // 3 chunks; the middle one is held at the gate until the chat connection has been cut, so without
        // the client holding its last chunk, the server would see it while alice is away (410: not shared).
        await using var gate = await UploadGate.StartAsync(holdAt: MiB);
        await using var server = await TestServer.StartAsync(o =>
        {
            o.PublicUrl = gate.Origin;
            o.Files.ChunkSize = MiB;
        });
        gate.Target = server.WebUri;
        await using var relay = new ChatRelay(server.ChatEndPoint);
        await using var bob = await ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);
        await bob.JoinAsync("bob");
        await bob.SendCommandAsync("/join #dev");
        var path = Path.Combine(_dir, "plan.bin");
        await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(3 * MiB));

        await using var chat = ParleyProcess.Start("chat", "127.0.0.1", Port(relay.Port), "--user", "alice", "--reconnect");
        await chat.ExpectAsync("Users online");
        await chat.WriteLineAsync("/join #dev");
        await chat.ExpectAsync("You joined #dev");
        await chat.WriteLineAsync("/send " + path);
        await gate.Held.WaitAsync(ParleyProcess.Timeout);

        relay.CutAll();
        await chat.ExpectAsync("error: disconnected:");
        gate.Release(); // the middle chunk goes on; the last one waits for the rejoin

        await chat.ExpectAsync("] Rejoined #dev; talking in #dev");
        var shared = await bob.NextAsync<FileSharedEvent>();
        Assert.Equal(("plan.bin", "#dev", "alice"), (shared.Name, shared.Room, shared.Sender));
        await chat.ExpectAsync("] *** #dev alice shared plan.bin (3.0 MiB)");
        await chat.WriteLineAsync("/quit");
        Assert.Equal(0, await chat.WaitForExitAsync());
        Assert.DoesNotContain(chat.Output, l => l.Contains("upload of plan.bin failed", StringComparison.Ordinal));
        Assert.Equal(2, relay.Connections);
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
