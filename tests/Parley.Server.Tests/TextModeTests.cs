using Parley.Testing;

namespace Parley.Server.Tests;

public sealed class TextModeTests
{
    private const string Stamp = @"^\[\d\d:\d\d:\d\d\] ";

    [Fact]
    public async Task Silent_client_is_greeted_and_can_chat()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync();
        Assert.Equal("Welcome to Parley! Please enter a username:", await alice.ReadLineAsync());

        await alice.SendLineAsync("alice");
        Assert.Equal("Welcome to Parley, alice! Type /help for commands.", await alice.ReadLineAsync());
        Assert.Equal("Users online (1): alice", await alice.ReadLineAsync());

        await alice.SendLineAsync("hello world");
        Assert.Matches(Stamp + "alice: hello world$", await alice.ReadLineAsync());
    }

    [Fact]
    public async Task Motd_is_shown_on_join()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.Motd = "Be kind");
        await using var alice = await server.ConnectAsync();
        await alice.SendLineAsync("alice");
        await alice.ExpectAsync("Welcome to Parley, alice!");
        Assert.Equal("*** Be kind", await alice.ReadLineAsync());
    }

    [Fact]
    public async Task Invalid_and_taken_names_are_explained_and_may_be_retried()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.JoinTextAsync("bob");
        await using var other = await server.ConnectAsync();

        await other.SendLineAsync("bad name!");
        Assert.StartsWith("ERROR Username may only contain", await other.ExpectAsync("ERROR"));

        await other.SendLineAsync("BOB");
        var taken = await other.ExpectAsync("ERROR");
        Assert.Contains("taken", taken);

        await other.SendLineAsync(new string('x', 33));
        Assert.Contains("at most 32", await other.ExpectAsync("ERROR"));

        await other.SendLineAsync("carol");
        await other.ExpectAsync("Welcome to Parley, carol!");
        await bob.ExpectAsync("*** carol joined the chat");
    }

    [Fact]
    public async Task Messages_reach_everyone_including_the_sender_with_join_and_leave_notices()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinTextAsync("alice");
        await using var bob = await server.JoinTextAsync("bob");
        Assert.Matches(Stamp + @"\*\*\* bob joined the chat$", await alice.ExpectAsync("joined"));

        await bob.SendLineAsync("hi all");
        Assert.Matches(Stamp + "bob: hi all$", await alice.ExpectAsync("bob: hi all"));
        Assert.Matches(Stamp + "bob: hi all$", await bob.ExpectAsync("bob: hi all"));

        await bob.SendLineAsync("/quit");
        Assert.Equal("Goodbye, bob!", await bob.ExpectAsync("Goodbye"));
        Assert.Empty(await bob.WaitClosedAsync());
        Assert.Matches(Stamp + @"\*\*\* bob left the chat$", await alice.ExpectAsync("left the chat"));
    }

    [Theory]
    [InlineData("/quit")]
    [InlineData("/exit")]
    [InlineData("/q")]
    [InlineData("/leave")]
    [InlineData("/QUIT")]
    public async Task Every_quit_alias_ends_the_session(string command)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinTextAsync("alice");
        await alice.SendLineAsync(command);
        Assert.Equal(["Goodbye, alice!"], await alice.WaitClosedAsync());
    }

    [Theory]
    [InlineData("/msg")]
    [InlineData("/private")]
    public async Task Private_messages_reach_only_the_target_and_confirm_to_the_sender(string command)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinTextAsync("alice");
        await using var bob = await server.JoinTextAsync("bob");
        await using var carol = await server.JoinTextAsync("carol");

        await alice.SendLineAsync($"{command} bob psst, it's a secret");
        Assert.Matches(Stamp + @"\[PM\] alice: psst, it's a secret$", await bob.ExpectAsync("[PM]"));
        Assert.Matches(Stamp + @"\[PM to bob\] psst, it's a secret$", await alice.ExpectAsync("[PM to bob]"));

        // Carol sees a later public line but never the private one.
        await alice.SendLineAsync("public now");
        await carol.ExpectAsync("alice: public now");
        Assert.DoesNotContain(carol.Seen, l => l.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Private_message_to_unknown_user_is_an_error()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinTextAsync("alice");
        await alice.SendLineAsync("/msg nobody hello");
        Assert.Equal("ERROR User 'nobody' is not online", await alice.ReadLineAsync());
        await alice.SendLineAsync("/msg bob");
        Assert.Equal("ERROR Usage: /msg NAME TEXT", await alice.ReadLineAsync());
    }

    [Fact]
    public async Task Who_help_ping_and_unknown_commands()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.JoinTextAsync("bob");
        await using var alice = await server.JoinTextAsync("alice");

        await alice.SendLineAsync("/who");
        Assert.Equal("Users: alice, bob", await alice.ReadLineAsync());
        await alice.SendLineAsync("/users");
        Assert.Equal("Users: alice, bob", await alice.ReadLineAsync());

        await alice.SendLineAsync("/ping");
        Assert.Equal("PONG", await alice.ReadLineAsync());

        await alice.SendLineAsync("/help");
        Assert.Equal("Commands:", await alice.ReadLineAsync());
        var help = new List<string>();
        while (await alice.ReadLineAsync() is { } line && !line.StartsWith("Anything else", StringComparison.Ordinal))
        {
            help.Add(line);
        }

        foreach (var command in new[] { "/msg", "/who", "/ping", "/help", "/quit", "/color" })
        {
            Assert.Contains(help, l => l.TrimStart().StartsWith(command, StringComparison.Ordinal));
        }

        await alice.SendLineAsync("/dance");
        Assert.Equal("ERROR Unknown command '/dance'. Type /help for the list.", await alice.ReadLineAsync());
        await alice.SendLineAsync("still here");
        await alice.ExpectAsync("alice: still here");
    }

    [Fact]
    public async Task Double_slash_sends_a_line_starting_with_a_slash()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinTextAsync("alice");
        await alice.SendLineAsync("//shrug");
        Assert.Matches(Stamp + "alice: /shrug$", await alice.ReadLineAsync());
    }

    [Fact]
    public async Task Telnet_line_endings_and_a_final_line_without_newline_are_accepted()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.JoinTextAsync("bob");
        await using var alice = await server.ConnectAsync();
        await alice.SendRawAsync("alice\r\nfirst\r\nlast without newline"u8.ToArray());
        await bob.ExpectAsync("alice: first");
        alice.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        Assert.Matches(Stamp + "alice: last without newline$", await bob.ExpectAsync("alice: last"));
        await bob.ExpectAsync("alice left the chat");
    }

    [Fact]
    public async Task Quit_works_at_the_name_prompt()
    {
        await using var server = await TestServer.StartAsync();
        await using var visitor = await server.ConnectAsync();
        await visitor.SendLineAsync("/quit");
        Assert.Equal("Goodbye!", (await visitor.WaitClosedAsync()).Last());
    }
}
