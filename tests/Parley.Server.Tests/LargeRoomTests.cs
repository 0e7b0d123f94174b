using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>A large room over real sockets: summaries instead of per-user notices, paged lists, every transport.</summary>
public sealed class LargeRoomTests
{
    [Fact]
    public async Task Text_json_and_websocket_users_get_one_summary_for_a_crowd_joining()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Hub.LargeRoom = 3;
            o.Hub.PresenceInterval = TimeSpan.FromMilliseconds(300);
        });
        await using var text = await server.JoinTextAsync("tess");
        await using var json = await server.JoinJsonAsync("jason");
        await using var web = await server.JoinWebSocketAsync("webb");
        await text.ExpectAsync("*** webb joined the chat");

        var crowd = new List<LineClient>();
        for (var i = 0; i < 5; i++)
        {
            crowd.Add(await server.JoinTextAsync($"crowd{i}"));
        }

        await crowd[4].DisposeAsync();
        crowd.RemoveAt(4);

        // Whatever interval boundaries the joins fell on, the summaries add up to the crowd, and nobody was named.
        var joined = 0;
        var left = 0;
        while (joined < 5 || left < 1)
        {
            var summary = await json.ExpectTypeAsync("presence");
            Assert.Equal("#general", summary.GetProperty("room").GetString());
            joined += summary.GetProperty("joined").GetInt32();
            left += summary.GetProperty("left").GetInt32();
        }

        Assert.Equal((5, 1), (joined, left));
        Assert.Matches(@"^\[\d\d:\d\d:\d\d\] \*\*\* \+\d joined.* in the last 0.3 s \(\d here\)$", await text.ExpectAsync("joined"));
        Assert.Equal("presence", (await web.ExpectTypeAsync("presence")).GetProperty("type").GetString());

        await text.SendLineAsync("/who 2");
        Assert.Equal("Users (page 2 of 3, 7 in all): crowd3, jason, tess -- /who 3 for more", await text.ExpectAsync("Users ("));

        await using var late = await server.ConnectAsync();
        await late.SendLineAsync("late");
        Assert.Equal("Users online (8): crowd0, crowd1, crowd2, and 5 more (/who 2)", await late.ExpectAsync("Users online"));

        foreach (var client in crowd)
        {
            await client.DisposeAsync();
        }
    }
}
