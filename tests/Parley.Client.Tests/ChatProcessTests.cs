using System.Text.RegularExpressions;
using Parley.Protocol.Events;
using Parley.Testing;

namespace Parley.Client.Tests;

/// <summary>`parley chat` as a real process with piped standard input, against a real server.</summary>
public sealed partial class ChatProcessTests
{
    [Fact]
    public async Task A_scripted_session_sends_every_line_and_exits_after_the_server_confirmed_the_last()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);
        await bob.JoinAsync("bob");
        await using var alice = ParleyProcess.Start("chat", "127.0.0.1", Port(server), "--user", "alice");

        foreach (var line in new[]
        {
            "hello everyone",
            "/msg bob psst",
            "/private bob /color cyan secret in cyan",
            "/color red in red",
            "/who",
            "/color purple nope",
            "/ping",
            "/frobnicate",
            "//slash is not a command",
        })
        {
            await alice.WriteLineAsync(line);
        }

        alice.CloseInput();

        Assert.Equal(0, await alice.WaitForExitAsync());
        Assert.Equal("", alice.Errors);
        var output = alice.Output;
        Assert.All(output, line => Assert.Matches(Stamp(), line));
        Assert.DoesNotContain(output, line => line.Contains('\u001b', StringComparison.Ordinal)); // not a terminal: no colour
        var text = output.Select(l => Milliseconds().Replace(Stamp().Replace(l, ""), "N ms")).ToList();
        Assert.Equal(
            [
                "*** Welcome to Parley, alice! Type /help for commands.",
                "*** Users online (2): alice, bob",
                "alice: hello everyone",
                "[PM to bob] psst",
                "[PM to bob] secret in cyan",
                "alice: in red",
                "Users online (2): alice, bob",
                "error: Unknown colour 'purple'. Choose one of red, green, yellow, blue, magenta, cyan, white.",
                $"Pong from 127.0.0.1:{Port(server)}: N ms round trip",
                "error: Unknown command '/frobnicate'. Type /help for the list.",
                "Commands: /msg /private /color /send /accept /get /who /users /ping /help /quit /exit /leave (/help explains them)",
                "alice: /slash is not a command",
                "*** Goodbye, alice!",
            ],
            text);

        // What bob saw proves the lines went out as the right requests.
        Assert.Equal("hello everyone", (await bob.NextAsync<ChatEvent>(e => e.Username == "alice")).Content);
        var pm = await bob.NextAsync<PrivateMessageEvent>();
        Assert.Equal(("alice", "psst", null), (pm.Sender, pm.Content, pm.Color));
        var colouredPm = await bob.NextAsync<PrivateMessageEvent>();
        Assert.Equal(("secret in cyan", "cyan"), (colouredPm.Content, colouredPm.Color));
        var red = await bob.NextAsync<ChatEvent>();
        Assert.Equal(("in red", "red"), (red.Content, red.Color));
        Assert.Equal("/slash is not a command", (await bob.NextAsync<ChatEvent>()).Content);
        Assert.Equal("alice left the chat", (await bob.NextAsync<SystemEvent>(e => e.Event == "left")).Message);
    }

    [Fact]
    public async Task Without_user_the_first_input_line_is_the_name_and_a_taken_name_fails_the_script()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);
        await bob.JoinAsync("bob");

        await using var taken = ParleyProcess.Start("chat", "127.0.0.1", Port(server));
        await taken.WriteLineAsync("BOB");
        await taken.WriteLineAsync("hello");
        taken.CloseInput();

        Assert.Equal(3, await taken.WaitForExitAsync());
        Assert.Contains("parley chat: The name 'BOB' is already taken. Choose another name with --user.", taken.Errors, StringComparison.Ordinal);
        Assert.Empty(taken.Output);

        await using var carol = ParleyProcess.Start("chat", "127.0.0.1", Port(server));
        await carol.WriteLineAsync("carol");
        await carol.WriteLineAsync("hi from carol");
        carol.CloseInput();
        Assert.Equal(0, await carol.WaitForExitAsync());
        Assert.Contains(carol.Output, l => l.EndsWith("] carol: hi from carol", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_full_server_is_explained_with_exit_code_3()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.MaxClients = 1);
        await using var bob = await ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);
        await bob.JoinAsync("bob");
        await using var chat = ParleyProcess.Start("chat", "127.0.0.1", Port(server), "--user", "alice");

        Assert.Equal(3, await chat.WaitForExitAsync());
        Assert.Equal($"parley chat: could not join 127.0.0.1:{Port(server)}: server full (1 clients), try again later\n", chat.Errors);
    }

    [Fact]
    public async Task A_name_given_after_the_server_stopped_waiting_for_it_still_joins()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.LoginTimeout = TimeSpan.FromSeconds(1.5));
        await using var chat = ParleyProcess.Start("chat", "127.0.0.1", Port(server));
        await Eventually.TrueAsync(() => server.Hub.ConnectionCount == 1, ParleyProcess.Timeout, "the client connected");
        await Eventually.TrueAsync(() => server.Hub.ConnectionCount == 0, ParleyProcess.Timeout, "the server dropped the silent connection");

        await chat.WriteLineAsync("alice");
        chat.CloseInput();

        Assert.Equal(0, await chat.WaitForExitAsync());
        Assert.EndsWith("] *** Welcome to Parley, alice! Type /help for commands.", chat.Output[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_server_is_explained_with_exit_code_2()
    {
        var port = ChatClientTests.FreePort();
        await using var chat = ParleyProcess.Start("chat", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--user", "alice");

        Assert.Equal(2, await chat.WaitForExitAsync());
        Assert.Equal($"parley chat: cannot connect to 127.0.0.1:{port}: connection refused. Is the server running? Start one with `parley serve {port}`.\n", chat.Errors);
    }

    [Fact]
    public async Task An_unknown_host_is_explained_with_exit_code_2()
    {
        await using var chat = ParleyProcess.Start("chat", "no-such-host.invalid", "5555", "--user", "alice");

        Assert.Equal(2, await chat.WaitForExitAsync());
        Assert.Contains("unknown host 'no-such-host.invalid'", chat.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_shutdown_mid_session_is_explained_with_exit_code_4_and_the_reconnect_offer()
    {
        var server = await TestServer.StartAsync();
        await using var chat = ParleyProcess.Start("chat", "127.0.0.1", Port(server), "--user", "alice");
        await chat.ExpectAsync("Users online");

        await server.DisposeAsync();

        Assert.Equal(4, await chat.WaitForExitAsync());
        Assert.Contains(chat.Output, l => l.EndsWith("] [SERVER] Server is shutting down", StringComparison.Ordinal));
        Assert.Equal("parley chat: disconnected: Server is shutting down. Run `parley chat --reconnect` to reconnect automatically.\n", chat.Errors);
    }

    [Fact]
    public async Task Ctrl_C_leaves_politely_with_exit_code_0()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);
        await bob.JoinAsync("bob");
        await using var chat = ParleyProcess.Start("chat", "127.0.0.1", Port(server), "--user", "alice");
        await chat.ExpectAsync("Users online");

        await chat.SignalAsync("INT");

        Assert.Equal(0, await chat.WaitForExitAsync());
        Assert.EndsWith("] *** Goodbye, alice!", chat.Output[^1], StringComparison.Ordinal); // the server's answer to quit
        Assert.Equal("alice left the chat", (await bob.NextAsync<SystemEvent>(e => e.Event == "left")).Message);
    }

    [Fact]
    public async Task Reconnect_retries_until_the_server_is_back_rejoins_and_sends_what_was_typed_meanwhile()
    {
        var first = await TestServer.StartAsync();
        var port = first.ChatEndPoint.Port;
        await using var chat = ParleyProcess.Start("chat", "127.0.0.1", Port(first), "--user", "alice", "--reconnect");
        await chat.ExpectAsync("Users online");

        await first.DisposeAsync();
        await chat.ExpectAsync("error: disconnected: Server is shutting down.");
        await chat.ExpectAsync("Reconnecting in");
        await chat.WriteLineAsync("typed while away");
        await using var second = await TestServer.StartAsync(o => o.Port = port);

        await chat.ExpectAsync($"Reconnected to 127.0.0.1:{port} as alice.");
        await chat.ExpectAsync("] alice: typed while away"); // the new server's echo
        Assert.Equal(["alice"], second.Hub.Usernames);
        await chat.WriteLineAsync("/quit");
        Assert.Equal(0, await chat.WaitForExitAsync());
    }

    private static string Port(TestServer server) => server.ChatEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\[\d\d:\d\d:\d\d\] ")]
    private static partial Regex Stamp();

    [GeneratedRegex(@"\d+\.\d ms")]
    private static partial Regex Milliseconds();
}
