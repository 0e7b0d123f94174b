using Parley.Testing;

namespace Parley.Server.Tests;

public sealed class ChatLogTests
{
    private const string Stamp = @"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ";

    [Fact]
    public async Task Public_messages_joins_leaves_and_announcements_are_logged_private_ones_are_not()
    {
        string path;
        await using (var server = await TestServer.StartAsync())
        {
            path = server.ChatLogPath;
            await using var alice = await server.JoinTextAsync("alice");
            await using var bob = await server.JoinJsonAsync("bob");
            await alice.SendLineAsync("hello log");
            await alice.ExpectAsync("alice: hello log");
            await alice.SendLineAsync("/msg bob secret stuff");
            await alice.ExpectAsync("[PM to bob]");
            server.Hub.Announce("maintenance soon");
            await alice.ExpectAsync("[SERVER] maintenance soon");
            await bob.SendAsync(new { type = "quit" });
            await alice.ExpectAsync("bob left the chat");
            await server.Server.StopAsync();
            var log = await File.ReadAllLinesAsync(path);
            Assert.All(log, line => Assert.Matches(Stamp, line));
            Assert.Equal(
                [
                    "*** alice joined the chat",
                    "*** bob joined the chat",
                    "alice: hello log",
                    "[SERVER] maintenance soon",
                    "*** bob left the chat",
                    "[SERVER] Server is shutting down",
                    "*** alice left the chat (server shutting down)",
                ],
                log.Select(l => l[20..]));
        }
    }

    [Fact]
    public async Task Private_messages_are_logged_when_asked()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.LogPrivate = true);
        await using var alice = await server.JoinTextAsync("alice");
        await using var bob = await server.JoinTextAsync("bob");
        await alice.SendLineAsync("/msg bob for the record");
        await alice.ExpectAsync("[PM to bob]");
        await server.Server.StopAsync();
        Assert.Contains(await File.ReadAllLinesAsync(server.ChatLogPath), l => l.EndsWith(" [PM] alice -> bob: for the record", StringComparison.Ordinal));
    }
}
