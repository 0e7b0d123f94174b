using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Parley.Testing;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

[Collection(BrowserCollection.Name)]
public sealed partial class ChatPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Two_browsers_and_a_text_client_chat_together()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewContextAsync();
        var alice = await ChatPage.OpenAsync(context, server.WebUri);
        await alice.JoinAsync("alice");
        await alice.ExpectUsersAsync("alice");

        await using var carol = await server.JoinTextAsync("carol");
        await alice.ExpectUsersAsync("alice", "carol");
        await alice.ExpectLineAsync("carol joined the chat", "system");

        var bob = await ChatPage.OpenAsync(context, server.WebUri);
        await bob.JoinAsync("bob");
        await bob.ExpectUsersAsync("alice", "bob", "carol");
        await alice.ExpectUsersAsync("alice", "bob", "carol");

        await alice.SendAsync("Hello from alice's browser");
        var own = await alice.ExpectLineAsync("Hello from alice's browser", "own");
        await Expect(own.Locator("time")).ToHaveTextAsync(TimePattern());
        await bob.ExpectLineAsync("Hello from alice's browser", "other");
        await carol.ExpectAsync(l => l.EndsWith("] alice: Hello from alice's browser", StringComparison.Ordinal));

        await carol.SendLineAsync("hi both, from nc");
        await alice.ExpectLineAsync("hi both, from nc", "other");
        var fromCarol = await bob.ExpectLineAsync("hi both, from nc", "other");
        await Expect(fromCarol.Locator(".who")).ToHaveTextAsync("carol");

        await bob.SendAsync("bob here");
        await alice.ExpectLineAsync("bob here", "other");
        await carol.ExpectAsync("] bob: bob here");

        // A colour chosen in the terminal shows in the browser.
        await carol.SendLineAsync("/color magenta colours survive the trip from nc");
        var coloured = await alice.ExpectLineAsync("colours survive the trip from nc", "other");
        await Expect(coloured.Locator(".text")).ToHaveClassAsync(new Regex(@"\bc-magenta\b"));
        server.Hub.Announce("Parley will restart at 18:00 for an upgrade");
        await alice.ExpectLineAsync("Parley will restart at 18:00 for an upgrade", "server");
        await bob.SendAsync("/msg alice lunch at noon?");
        await alice.ExpectLineAsync("lunch at noon?", "pm-in");
        await alice.SendAsync("Sounds good, see you all later");
        await carol.ExpectAsync("] alice: Sounds good, see you all later");

        await WebTestSettings.ScreenshotAsync(alice.Page, "chat");

        await carol.SendLineAsync("/quit");
        await alice.ExpectUsersAsync("alice", "bob");
        await bob.ExpectLineAsync("carol left the chat", "system");
    }

    [Fact]
    public async Task Private_messages_go_both_ways_and_the_send_button_says_where()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewContextAsync();
        var alice = await ChatPage.OpenAsync(context, server.WebUri);
        await alice.JoinAsync("alice");
        var bob = await ChatPage.OpenAsync(context, server.WebUri);
        await bob.JoinAsync("bob");
        await using var carol = await server.JoinTextAsync("carol");
        await alice.ExpectUsersAsync("alice", "bob", "carol");

        await Expect(alice.SendButton).ToHaveTextAsync("Send to everyone");

        // Choosing a name in the user list switches to a private message to them.
        await alice.UserList.GetByRole(AriaRole.Button, new() { Name = "Send a private message to bob" }).ClickAsync();
        await Expect(alice.Page.GetByRole(AriaRole.Radio, new() { Name = "Private" })).ToBeCheckedAsync();
        await Expect(alice.Page.GetByLabel("To", new() { Exact = true })).ToHaveValueAsync("bob");
        await Expect(alice.SendButton).ToHaveTextAsync("Send to bob");
        await Expect(alice.MessageBox).ToBeFocusedAsync();
        await alice.SendAsync("just between us");
        await alice.ExpectLineAsync("just between us", "pm-out");
        var received = await bob.ExpectLineAsync("just between us", "pm-in");
        await Expect(received.Locator(".who")).ToHaveTextAsync("PM from alice");

        // Typing the name in the To field works too, and crosses to the text client.
        await alice.Page.GetByLabel("To", new() { Exact = true }).FillAsync("carol");
        await Expect(alice.SendButton).ToHaveTextAsync("Send to carol");
        await alice.SendAsync("psst carol");
        await carol.ExpectAsync("] [PM] alice: psst carol");

        await carol.SendLineAsync("/msg alice got it");
        await alice.ExpectLineAsync("got it", "pm-in");

        // Bob answers by clicking the sender of the private message.
        await received.Locator(".who").ClickAsync();
        await Expect(bob.SendButton).ToHaveTextAsync("Send to alice");
        await bob.SendAsync("right back at you");
        await alice.ExpectLineAsync("right back at you", "pm-in");
        await bob.ExpectLineAsync("right back at you", "pm-out");

        // Back to public: nothing private leaked to the others.
        await alice.Page.GetByText("Everyone", new() { Exact = true }).ClickAsync();
        await Expect(alice.Page.GetByRole(AriaRole.Radio, new() { Name = "Everyone" })).ToBeCheckedAsync();
        await Expect(alice.SendButton).ToHaveTextAsync("Send to everyone");
        await Expect(bob.Messages.Filter(new() { HasText = "psst carol" })).ToHaveCountAsync(0);
        Assert.DoesNotContain(carol.Seen, l => l.Contains("just between us", StringComparison.Ordinal));
        await WebTestSettings.ScreenshotAsync(alice.Page, "chat-private");
    }

    [Fact]
    public async Task Html_and_script_in_messages_are_shown_as_text()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewContextAsync();
        var alice = await ChatPage.OpenAsync(context, server.WebUri);
        var dialogs = 0;
        alice.Page.Dialog += (_, dialog) =>
        {
            dialogs++;
            _ = dialog.DismissAsync();
        };
        await alice.JoinAsync("alice");
        await using var mallory = await server.JoinJsonAsync("mallory");

        const string Image = "<img src=x onerror=\"window.pwned=1;alert(1)\">";
        const string Script = "<script>window.pwned=2</script><b>bold?</b>";
        await mallory.SendAsync(new { type = "message", content = Image });
        await mallory.SendAsync(new { type = "private_message", target = "alice", content = Script });
        await mallory.SendAsync(new { type = "message", content = "<style>body{display:none}</style>", color = "red" });
        await mallory.Lines.SendLineAsync("""{"type":"command","line":"/msg alice <iframe src=javascript:alert(3)>"}""");

        await Expect(alice.Messages.Filter(new() { HasText = Image })).ToHaveCountAsync(1);
        await Expect(alice.Messages.Filter(new() { HasText = Script })).ToHaveCountAsync(1);
        await Expect(alice.Messages.Filter(new() { HasText = "<style>body{display:none}</style>" })).ToHaveCountAsync(1);
        await Expect(alice.Messages.Filter(new() { HasText = "<iframe src=javascript:alert(3)>" })).ToHaveCountAsync(1);
        await Expect(alice.Page.Locator("#messages img, #messages script, #messages b, #messages style, #messages iframe")).ToHaveCountAsync(0);
        await Expect(alice.Page.Locator("body")).ToBeVisibleAsync();
        Assert.True(await alice.Page.EvaluateAsync<bool>("() => window.pwned === undefined"));
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task Typed_commands_work_as_in_the_console_client_and_colours_show()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewContextAsync();
        var alice = await ChatPage.OpenAsync(context, server.WebUri);
        await alice.JoinAsync("alice");
        await using var bob = await server.JoinTextAsync("bob");
        await alice.ExpectUsersAsync("alice", "bob");

        await alice.MessageBox.FillAsync("/who");
        await Expect(alice.SendButton).ToHaveTextAsync("Run command");
        await alice.MessageBox.PressAsync("Enter");
        await alice.ExpectLineAsync("Online (2): alice, bob", "info");

        await alice.SendAsync("/help");
        await Expect(alice.Messages.Filter(new() { HasText = "/msg NAME TEXT" })).ToHaveCountAsync(1);

        await alice.SendAsync("/ping");
        await alice.ExpectLineAsync(new Regex("PONG$"), "info");

        await alice.SendAsync("/color red this is red");
        var red = await alice.ExpectLineAsync("this is red", "own");
        await Expect(red.Locator(".text")).ToHaveClassAsync(new Regex(@"\bc-red\b"));
        Assert.Equal("rgb(220, 38, 38)", await red.Locator(".text").EvaluateAsync<string>("e => getComputedStyle(e).color"));
        await bob.ExpectAsync("] alice: this is red");

        await alice.SendAsync("/msg bob via the command line");
        await bob.ExpectAsync("] [PM] alice: via the command line");
        await alice.ExpectLineAsync("via the command line", "pm-out");

        await alice.SendAsync("/frobnicate");
        await alice.ExpectLineAsync("Unknown command '/frobnicate'", "error");

        await alice.SendAsync("//not a command");
        await bob.ExpectAsync("] alice: /not a command");

        await alice.SendAsync("/clear");
        await Expect(alice.Messages).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Taken_and_invalid_names_are_explained_and_another_name_can_be_tried()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.JoinTextAsync("bob");
        await using var context = await browser.NewContextAsync();
        var page = await ChatPage.OpenAsync(context, server.WebUri);

        await page.SubmitNameAsync("bad name!");
        await Expect(page.ConnectMessage).ToContainTextAsync("letters, digits");
        Assert.Equal(1, server.Hub.ConnectionCount); // refused in the page, before connecting

        await page.SubmitNameAsync("Bob");
        await Expect(page.ConnectMessage).ToContainTextAsync("already taken");
        await Expect(page.ConnectMessage).ToContainTextAsync("Choose another name");
        await Expect(page.Page.GetByLabel("Username")).ToBeFocusedAsync();
        await WebTestSettings.ScreenshotAsync(page.Page, "connect-taken");

        await page.JoinAsync("bobby");
        await bob.ExpectAsync("*** bobby joined the chat");
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_reported()
    {
        var server = await TestServer.StartAsync();
        await using var context = await browser.NewContextAsync();
        var page = await ChatPage.OpenAsync(context, server.WebUri);
        await server.DisposeAsync();

        await page.SubmitNameAsync("alice");
        await Expect(page.ConnectMessage).ToContainTextAsync("Cannot reach the server");
        await Expect(page.Status).ToHaveAttributeAsync("data-state", "disconnected");
    }

    [Fact]
    public async Task The_page_reconnects_with_the_same_name_after_the_server_restarts()
    {
        var first = await TestServer.StartAsync();
        var port = first.WebUri.Port;
        await using var context = await browser.NewContextAsync();
        var alice = await ChatPage.OpenAsync(context, first.WebUri);
        await alice.JoinAsync("alice");
        await alice.SendAsync("before the restart");

        await first.DisposeAsync();
        await alice.ExpectLineAsync("Server is shutting down", "server");
        await Expect(alice.Status).ToHaveAttributeAsync("data-state", "disconnected");
        await Expect(alice.Status).ToContainTextAsync("Reconnecting in");
        await Expect(alice.SendButton).ToBeDisabledAsync();

        await using var second = await TestServer.StartAsync(o => o.WebPort = port);
        await alice.ExpectConnectedAsync();
        await alice.ExpectLineAsync("Reconnected as alice.", "system");
        Assert.Equal(["alice"], second.Hub.Usernames);

        // The history from before is still there, and chatting works on the new server.
        await alice.ExpectLineAsync("before the restart", "own");
        await using var bob = await second.JoinTextAsync("bob");
        await alice.SendAsync("after the restart");
        await bob.ExpectAsync("] alice: after the restart");
    }

    [Fact]
    public async Task Closing_the_tab_leaves_the_chat_cleanly()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.JoinTextAsync("bob");
        await using var context = await browser.NewContextAsync();
        var alice = await ChatPage.OpenAsync(context, server.WebUri);
        await alice.JoinAsync("alice");
        await bob.ExpectAsync("*** alice joined the chat");

        await alice.Page.CloseAsync(new() { RunBeforeUnload = true });
        var left = await bob.ExpectAsync("alice left the chat");
        Assert.EndsWith("*** alice left the chat", left, StringComparison.Ordinal);
        await server.WaitForUsersAsync(1);
    }

    [Fact]
    public async Task Leave_button_quits_and_is_not_followed_by_a_reconnect()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.JoinTextAsync("bob");
        await using var context = await browser.NewContextAsync();
        var alice = await ChatPage.OpenAsync(context, server.WebUri);
        await alice.JoinAsync("alice");

        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Leave" }).ClickAsync();
        await bob.ExpectAsync("*** alice left the chat");
        await Expect(alice.ConnectMessage).ToHaveTextAsync("You left the chat.");
        await Expect(alice.Status).ToHaveAttributeAsync("data-state", "idle");
        Assert.Equal(["bob"], server.Hub.Usernames);
    }

    [Fact]
    public async Task History_follows_new_messages_until_the_user_scrolls_up()
    {
        await using var server = await TestServer.StartAsync();
        await using var context = await browser.NewContextAsync(1000, 600);
        var alice = await ChatPage.OpenAsync(context, server.WebUri);
        await alice.JoinAsync("alice");
        await using var bob = await server.JoinTextAsync("bob");
        for (var i = 1; i <= 60; i++)
        {
            await bob.SendLineAsync($"line {i}");
        }

        await alice.ExpectLineAsync("line 60", "other");
        var log = alice.Page.Locator("#messages");
        Assert.True(await log.EvaluateAsync<bool>("e => e.scrollHeight - e.scrollTop - e.clientHeight < 48"), "the log should follow new messages");

        await log.EvaluateAsync("e => { e.scrollTop = 0; }");
        await bob.SendLineAsync("line 61");
        await alice.ExpectLineAsync("line 61", "other");
        Assert.Equal(0, await log.EvaluateAsync<double>("e => e.scrollTop"));
        var jump = alice.Page.GetByRole(AriaRole.Button, new() { Name = "1 new message ↓" });
        await Expect(jump).ToBeVisibleAsync();

        await jump.ClickAsync();
        await Expect(jump).ToBeHiddenAsync();
        Assert.True(await log.EvaluateAsync<bool>("e => e.scrollHeight - e.scrollTop - e.clientHeight < 48"));
    }

    [Fact]
    public async Task Works_in_a_phone_sized_window_with_the_keyboard()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.JoinTextAsync("bob");
        await using var context = await browser.NewContextAsync(390, 740);
        var alice = await ChatPage.OpenAsync(context, server.WebUri);

        // Keyboard only: the name field has focus on load, Enter joins, Enter sends.
        await Expect(alice.Page.GetByLabel("Username")).ToBeFocusedAsync();
        await alice.Page.Keyboard.TypeAsync("alice");
        await alice.Page.Keyboard.PressAsync("Enter");
        await alice.ExpectConnectedAsync();
        await Expect(alice.MessageBox).ToBeFocusedAsync();
        await alice.Page.Keyboard.TypeAsync("typed on a phone");
        await alice.Page.Keyboard.PressAsync("Enter");
        await bob.ExpectAsync("] alice: typed on a phone");
        await bob.SendLineAsync("Looks fine from here");
        await alice.ExpectLineAsync("Looks fine from here", "other");

        // Nothing overflows sideways, and the user list opens from the header.
        var wide = await alice.Page.EvaluateAsync<string>("() => [...document.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > window.innerWidth).map(e => e.tagName + '#' + e.id).join(', ')");
        Assert.True(wide.Length == 0, "wider than the window: " + wide);
        await Expect(alice.UserList).ToBeHiddenAsync();
        await WebTestSettings.ScreenshotAsync(alice.Page, "chat-phone");
        var toggle = alice.Page.GetByRole(AriaRole.Button, new() { Name = "Users" });
        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(alice.UserList).ToBeVisibleAsync();
        await alice.UserList.GetByRole(AriaRole.Button, new() { Name = "Send a private message to bob" }).ClickAsync();
        await Expect(alice.UserList).ToBeHiddenAsync();
        await Expect(alice.SendButton).ToHaveTextAsync("Send to bob");
    }

    [GeneratedRegex(@"^\d\d:\d\d:\d\d$")]
    private static partial Regex TimePattern();
}
