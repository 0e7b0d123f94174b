using Microsoft.Playwright;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>
/// Room membership belongs to the server's connection, so after the page reconnects on its own it joins
/// its rooms again, returns to the room it was talking in and sums that up in one line (as parley chat).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RejoinPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task After_a_restart_the_page_rejoins_its_rooms_and_talks_in_the_room_it_was_in()
    {
        var first = await TestServer.StartAsync();
        var port = first.WebUri.Port;
        await using var context = await browser.NewContextAsync();
        var alice = await ChatPage.OpenAsync(context, first.WebUri);
        await alice.JoinAsync("alice");
        await alice.ExpectRoomsAsync("#general", "#general");
        await alice.SendAsync("/join #dev");
        await alice.ExpectLineAsync("You created #dev", "system");
        await alice.SendAsync("/join #ops");
        await alice.ExpectLineAsync("You created #ops", "system");
        await alice.SendAsync("/join #qa");
        await alice.ExpectLineAsync("You created #qa", "system");
        await alice.ExpectRoomsAsync("#qa", "#general", "#dev", "#ops", "#qa");
        await alice.SendAsync("/part #qa"); // a parted room (the room event's "from") is not rejoined
        await alice.ExpectLineAsync("You left #qa; now talking in #ops", "system");
        await alice.ExpectRoomsAsync("#ops", "#general", "#dev", "#ops");

        // The room list switches rooms.
        await alice.RoomList.GetByRole(AriaRole.Button, new() { Name = "#dev" }).ClickAsync();
        await alice.ExpectLineAsync("Now talking in #dev", "system");
        await alice.ExpectRoomsAsync("#dev", "#general", "#dev", "#ops");

        await first.DisposeAsync();
        await Expect(alice.Status).ToContainTextAsync("Reconnecting in");
        await using var second = await TestServer.StartAsync(o => o.WebPort = port);

        await alice.ExpectLineAsync("Rejoined #ops, #dev; talking in #dev", "system");
        await alice.ExpectConnectedAsync();
        await alice.ExpectRoomsAsync("#dev", "#general", "#dev", "#ops");
        await alice.ExpectLineAsync("You created #ops", "system"); // still one: the rejoin is one line, not a room notice each
        Assert.DoesNotContain("#qa", await alice.Messages.Filter(new() { HasText = "Rejoined" }).TextContentAsync(), StringComparison.Ordinal);

        // Messages in both rooms reach the page, and what it sends goes to #dev.
        await using var bob = await second.JoinTextAsync("bob");
        await bob.SendLineAsync("/join #ops");
        await bob.ExpectAsync("You joined #ops");
        await bob.SendLineAsync("news from ops");
        var ops = await alice.ExpectLineAsync("news from ops", "other");
        await Expect(ops.Locator(".who")).ToHaveTextAsync("#ops bob");
        await bob.SendLineAsync("/join #dev");
        await bob.ExpectAsync("You joined #dev");
        await bob.SendLineAsync("news from dev");
        var dev = await alice.ExpectLineAsync("news from dev", "other");
        await Expect(dev.Locator(".who")).ToHaveTextAsync("#dev bob");
        await alice.SendAsync("back in dev");
        await bob.ExpectAsync("] #dev alice: back in dev");
    }

    [Fact]
    public async Task A_kick_from_a_room_takes_it_off_the_room_list()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.JoinTextAsync("bob");
        await bob.SendLineAsync("/join #dev");
        await bob.ExpectAsync("You created #dev");
        await using var context = await browser.NewContextAsync();
        var alice = await ChatPage.OpenAsync(context, server.WebUri);
        await alice.JoinAsync("alice");
        await alice.SendAsync("/join #ops");
        await alice.ExpectLineAsync("You created #ops", "system");
        await alice.SendAsync("/join #dev");
        await alice.ExpectLineAsync("You joined #dev", "system");
        await alice.ExpectRoomsAsync("#dev", "#general", "#ops", "#dev");

        await bob.SendLineAsync("/kick alice enough");
        await alice.ExpectLineAsync("You were kicked from #dev; now talking in #ops", "system");
        await alice.ExpectRoomsAsync("#ops", "#general", "#ops");
    }

    [Fact]
    public async Task A_refused_rejoin_shows_the_server_s_reason_and_the_other_rooms_are_still_rejoined()
    {
        var first = await TestServer.StartAsync();
        var port = first.WebUri.Port;
        await using var context = await browser.NewContextAsync();
        var alice = await ChatPage.OpenAsync(context, first.WebUri);
        await alice.JoinAsync("alice");
        await alice.SendAsync("/join #ops");
        await alice.ExpectLineAsync("You created #ops", "system");
        await alice.SendAsync("/join #dev");
        await alice.ExpectLineAsync("You created #dev", "system");
        await alice.ExpectRoomsAsync("#dev", "#general", "#ops", "#dev");

        // The new server has none of these rooms and lets a user create only one.
        await first.DisposeAsync();
        await Expect(alice.Status).ToContainTextAsync("Reconnecting in");
        await using var second = await TestServer.StartAsync(o =>
        {
            o.WebPort = port;
            o.Hub.MaxRoomsPerUser = 1;
        });

        await alice.ExpectLineAsync("Could not rejoin #dev: You already created 1 rooms, the most one user may (1)", "error");
        await alice.ExpectLineAsync("Rejoined #ops; talking in #ops", "system");
        await alice.ExpectConnectedAsync();
        await alice.ExpectRoomsAsync("#ops", "#general", "#ops");

        await using var bob = await second.JoinTextAsync("bob");
        await bob.SendLineAsync("/join #ops");
        await bob.ExpectAsync("You joined #ops");
        await alice.SendAsync("still here");
        await bob.ExpectAsync("] #ops alice: still here");
        await bob.SendLineAsync("welcome back");
        await alice.ExpectLineAsync("welcome back", "other");
    }

    [Fact]
    public async Task Rejoining_more_rooms_than_flood_control_allows_at_once_waits_for_it_instead_of_losing_rooms()
    {
        var rooms = Enumerable.Range(1, 12).Select(i => $"#r{i}").ToArray();
        var first = await TestServer.StartAsync(o => o.Hub.MaxRoomsPerUser = 0);
        var port = first.WebUri.Port;
        await using var context = await browser.NewContextAsync();
        var alice = await ChatPage.OpenAsync(context, first.WebUri);
        var rateLimited = 0;
        alice.Page.WebSocket += (_, ws) => ws.FrameReceived += (_, frame) =>
        {
            if (frame.Text?.Contains("\"rate_limited\"", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref rateLimited);
            }
        };
        await alice.JoinAsync("alice");
        foreach (var room in rooms)
        {
            await alice.SendAsync("/join " + room);
            await alice.ExpectLineAsync($"You created {room};", "system");
        }

        // The new server meters requests (5 a second, bursts of 10): twelve joins in a row outrun it.
        await first.DisposeAsync();
        await Expect(alice.Status).ToContainTextAsync("Reconnecting in");
        await using var second = await TestServer.StartAsync(o =>
        {
            o.WebPort = port;
            o.Hub.MaxRoomsPerUser = 0;
            o.Hub.RateLimit = 5;
        });

        await alice.ExpectLineAsync($"Rejoined {string.Join(", ", rooms)}; talking in #r12", "system");
        await alice.ExpectConnectedAsync();
        await alice.ExpectRoomsAsync("#r12", ["#general", .. rooms]);
        await Expect(alice.Page.Locator("#messages > li.k-error")).ToHaveCountAsync(0);
        Assert.True(Volatile.Read(ref rateLimited) > 0, "the server should have slowed the rejoin down");
    }

    [Fact]
    public async Task A_connection_lost_while_rejoining_keeps_the_rooms_not_rejoined_yet_for_the_next_attempt()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewContextAsync();
        var alice = await ChatPage.OpenAsync(context, server.WebUri);

        // Only the WebSocket is cut (the server stays up): the page's socket goes through a route that
        // can close it, and the second connection is closed as it asks to rejoin #dev.
        var sockets = new List<IWebSocketRoute>();
        var cutWhileRejoining = 0;
        await alice.Page.RouteWebSocketAsync("**/ws", ws =>
        {
            int connection;
            lock (sockets)
            {
                sockets.Add(ws);
                connection = sockets.Count;
            }

            var toServer = ws.ConnectToServer();
            ws.OnMessage(frame =>
            {
                if (connection == 2 && frame.Text?.Contains("\"join_room\",\"room\":\"#dev\"", StringComparison.Ordinal) == true)
                {
                    Interlocked.Exchange(ref cutWhileRejoining, 1);
                    _ = ws.CloseAsync();
                    return;
                }

                toServer.Send(frame.Text!);
            });
        });
        await alice.JoinAsync("alice");
        await alice.SendAsync("/join #ops");
        await alice.ExpectLineAsync("You created #ops", "system");
        await alice.SendAsync("/join #dev");
        await alice.ExpectLineAsync("You created #dev", "system");

        IWebSocketRoute first;
        lock (sockets)
        {
            first = sockets[0];
        }

        await first.CloseAsync();
        await alice.ExpectLineAsync("Rejoined #ops, #dev; talking in #dev", "system");
        await alice.ExpectConnectedAsync();
        await alice.ExpectRoomsAsync("#dev", "#general", "#ops", "#dev");
        Assert.Equal(1, Volatile.Read(ref cutWhileRejoining));
        lock (sockets)
        {
            Assert.Equal(3, sockets.Count);
        }

        await using var bob = await server.JoinTextAsync("bob");
        await bob.SendLineAsync("/join #dev");
        await bob.ExpectAsync("You joined #dev");
        await alice.SendAsync("made it");
        await bob.ExpectAsync("] #dev alice: made it");
    }

    [Fact]
    public async Task An_upload_whose_connection_drops_finishes_in_its_room_once_the_page_is_back_in_it()
    {
        const int MiB = 1024 * 1024;
        await using var server = await TestServer.StartAsync(o => o.Files.ChunkSize = MiB);
        await using var bob = await server.JoinTextAsync("bob");
        await bob.SendLineAsync("/join #dev");
        await bob.ExpectAsync("You created #dev");
        await using var context = await browser.NewContextAsync();
        var alice = await ChatPage.OpenAsync(context, server.WebUri);
        var sockets = new List<IWebSocketRoute>();
        await alice.Page.RouteWebSocketAsync("**/ws", ws =>
        {
            lock (sockets)
            {
                sockets.Add(ws);
            }

            ws.ConnectToServer();
        });

        // The middle one of three chunks is held until the WebSocket has been cut, so the last one would
        // reach the server while alice is away (410: not shared) unless the page holds it until it is back in #dev.
        var middleHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await alice.Page.RouteAsync("**/files/uploads/**", async route =>
        {
            if (route.Request.Method == "PUT" && route.Request.Url.Contains($"offset={MiB}", StringComparison.Ordinal))
            {
                middleHeld.TrySetResult();
                await release.Task;
            }

            await route.ContinueAsync();
        });
        await alice.JoinAsync("alice");
        await alice.SendAsync("/join #dev");
        await alice.ExpectLineAsync("You joined #dev", "system");
        await alice.Page.Locator("#file-input").SetInputFilesAsync(new FilePayload
        {
            Name = "plan.bin",
            MimeType = "application/octet-stream",
            Buffer = new byte[3 * MiB],
        });
        await middleHeld.Task.WaitAsync(TimeSpan.FromSeconds(30));

        IWebSocketRoute first;
        lock (sockets)
        {
            first = sockets[0];
        }

        await first.CloseAsync();
        await Expect(alice.Status).ToContainTextAsync("Reconnecting in");
        release.SetResult(); // the middle chunk goes on; the last one waits for the rejoin

        await alice.ExpectLineAsync("Rejoined #dev; talking in #dev", "system");
        await bob.ExpectAsync("#dev *** alice shared plan.bin (3.0 MiB)");
        var shared = await alice.ExpectLineAsync("shared plan.bin", "file");
        await Expect(shared.Locator(".who")).ToHaveTextAsync("#dev alice");
        await Expect(alice.Page.Locator("#uploads progress")).ToHaveCountAsync(0);
        await Expect(alice.Page.Locator("#messages > li.k-error")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_send_button_names_the_room_a_public_message_goes_to()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewContextAsync();
        var alice = await ChatPage.OpenAsync(context, server.WebUri);
        await alice.JoinAsync("alice");
        await Expect(alice.SendButton).ToHaveTextAsync("Send to everyone");
        await Expect(alice.MessageBox).ToHaveAttributeAsync("placeholder", "Message everyone");

        await alice.SendAsync("/join #dev");
        await alice.ExpectRoomsAsync("#dev", "#general", "#dev");
        await Expect(alice.SendButton).ToHaveTextAsync("Send to #dev");
        await Expect(alice.MessageBox).ToHaveAttributeAsync("placeholder", "Message #dev");

        await alice.RoomList.GetByRole(AriaRole.Button, new() { Name = "#general" }).ClickAsync();
        await alice.ExpectRoomsAsync("#general", "#general", "#dev");
        await Expect(alice.SendButton).ToHaveTextAsync("Send to everyone");
    }
}
