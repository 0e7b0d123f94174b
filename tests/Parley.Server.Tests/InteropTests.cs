using Parley.Testing;

namespace Parley.Server.Tests;

public sealed class InteropTests
{
    [Fact]
    public async Task Text_and_json_users_see_each_other_in_every_direction()
    {
        await using var server = await TestServer.StartAsync();
        await using var text = await server.JoinTextAsync("tess");
        await using var json = await server.JoinJsonAsync("jason");
        await text.ExpectAsync("*** jason joined the chat");

        await text.SendLineAsync("from text");
        Assert.Equal("tess", (await json.ExpectTypeAsync("message", m => m.GetProperty("content").GetString() == "from text")).GetProperty("username").GetString());

        await json.SendAsync(new { type = "message", content = "from json" });
        await text.ExpectAsync("jason: from json");

        await json.SendAsync(new { type = "private_message", target = "tess", content = "json to text" });
        await text.ExpectAsync("[PM] jason: json to text");

        await text.SendLineAsync("/msg jason text to json");
        Assert.Equal("tess", (await json.ExpectTypeAsync("private_message")).GetProperty("sender").GetString());

        await text.SendLineAsync("/who");
        Assert.Equal("Users: jason, tess", await text.ExpectAsync("Users:"));
        await json.SendAsync(new { type = "who" });
        Assert.Equal(["jason", "tess"], (await json.ExpectTypeAsync("users")).GetProperty("users").EnumerateArray().Select(u => u.GetString()));

        await text.SendLineAsync("/quit");
        Assert.Equal("tess", (await json.ExpectTypeAsync("system", e => e.GetProperty("event").GetString() == "left")).GetProperty("username").GetString());
    }

    [Fact]
    public async Task Two_hundred_clients_at_once_all_receive_every_message()
    {
        await using var server = await TestServer.StartAsync();
        var joining = Enumerable.Range(0, 200).Select(i => i % 2 == 0
            ? server.JoinTextAsync($"t{i}").ContinueWith(t => (IAsyncDisposable)t.Result, TaskScheduler.Default)
            : server.JoinJsonAsync($"j{i}").ContinueWith(t => (IAsyncDisposable)t.Result, TaskScheduler.Default));
        var clients = await Task.WhenAll(joining);
        try
        {
            await server.WaitForUsersAsync(200);
            var sender = (LineClient)clients[0];
            await sender.SendLineAsync("one for all");
            await Task.WhenAll(clients.Select<IAsyncDisposable, Task>(c => c switch
            {
                LineClient t => t.ExpectAsync("t0: one for all"),
                JsonLineClient j => j.ExpectTypeAsync("message", m => m.GetProperty("content").GetString() == "one for all"),
                _ => throw new InvalidOperationException(),
            }));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Everyone_sees_public_messages_in_the_same_order()
    {
        await using var server = await TestServer.StartAsync();
        await using var a = await server.JoinTextAsync("a");
        await using var b = await server.JoinJsonAsync("b");
        await using var c = await server.JoinTextAsync("c");
        await server.WaitForUsersAsync(3);

        // Two senders race each other; each one's own lines go out in order.
        await Task.WhenAll(SendAllAsync(a, "a"), SendAllAsync(c, "c"));
        await a.ExpectAsync(l => Order(a.Seen).Count == 100);
        await c.ExpectAsync(l => Order(c.Seen).Count == 100);
        await b.Lines.ExpectAsync(l => Order(b.Lines.Seen).Count == 100);
        Assert.Equal(Order(a.Seen), Order(c.Seen));
        Assert.Equal(Order(a.Seen), Order(b.Lines.Seen));
    }

    private static async Task SendAllAsync(LineClient client, string prefix)
    {
        for (var i = 0; i < 50; i++)
        {
            await client.SendLineAsync($"{prefix}{i}");
        }
    }

    // The public-message contents in arrival order, whatever the protocol.
    private static List<string> Order(IReadOnlyList<string> lines) =>
        [.. lines.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"(?:: |""content"":"")([ac]\d+)").Groups[1].Value).Where(v => v.Length > 0)];
}
