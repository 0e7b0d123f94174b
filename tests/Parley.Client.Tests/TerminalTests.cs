using Parley.Protocol.Events;
using Parley.Testing;

namespace Parley.Client.Tests;

/// <summary>`parley chat` in a real terminal (tmux): the full-duplex line editor as a person sees it.</summary>
public sealed class TerminalTests
{
    [Fact]
    public async Task A_message_arriving_while_typing_is_printed_above_the_intact_input_line()
    {
        await using var server = await TestServer.StartAsync();
        var command = $"'{ParleyProcess.DotnetHost}' '{ParleyProcess.ParleyDll}' chat 127.0.0.1 {server.ChatEndPoint.Port} --user alice; echo EXIT=$?; sleep 600";
        await using var terminal = await TmuxSession.StartAsync(command, columns: 100, rows: 30);
        await terminal.WaitForAsync(s => s.Length > 0 && s[^1] == "alice>", "the prompt after joining");
        await using var bob = await ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);
        await bob.JoinAsync("bob");
        await terminal.WaitForAsync(s => s.Any(r => r.EndsWith("*** bob joined the chat", StringComparison.Ordinal)), "bob's arrival");

        await terminal.TypeAsync("hello wor");
        await terminal.WaitForAsync(s => s[^1] == "alice> hello wor", "the half-typed line");
        await bob.SendMessageAsync("incoming while typing");

        var screen = await terminal.WaitForAsync(s => s.Any(r => r.Contains("bob: incoming while typing", StringComparison.Ordinal)), "bob's message");
        Assert.Matches(@"^\[\d\d:\d\d:\d\d\] bob: incoming while typing$", screen[^2]);
        Assert.Equal("alice> hello wor", screen[^1]);
        Assert.Equal(("alice> hello wor".Length, screen.Length - 1), await terminal.CursorAsync());
        var coloured = await terminal.CaptureAsync(escapes: true);
        Assert.Contains("\u001b[32m", coloured.Single(r => r.Contains("bob: incoming while typing", StringComparison.Ordinal)), StringComparison.Ordinal);

        // The line was intact in the editor too, not just on screen: finishing it sends the whole of it.
        await terminal.TypeAsync("ld");
        await terminal.PressAsync("Enter");
        Assert.Equal("hello world", (await bob.NextAsync<ChatEvent>(e => e.Username == "alice")).Content);
        await terminal.WaitForAsync(s => s[^1] == "alice>" && s[^2].EndsWith("] alice: hello world", StringComparison.Ordinal), "alice's own message, and an empty input line");

        await terminal.PressAsync("C-c");
        await terminal.WaitForAsync(s => s.Contains("EXIT=0"), "a polite exit with code 0");
        Assert.Equal("alice left the chat", (await bob.NextAsync<SystemEvent>(e => e.Event == "left")).Message);
    }

    [Fact]
    public async Task A_taken_name_is_explained_and_asked_again_and_the_editor_keeps_history()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);
        await bob.JoinAsync("bob");
        var command = $"'{ParleyProcess.DotnetHost}' '{ParleyProcess.ParleyDll}' chat 127.0.0.1 {server.ChatEndPoint.Port}; echo EXIT=$?; sleep 600";
        await using var terminal = await TmuxSession.StartAsync(command, columns: 80, rows: 24);
        await terminal.WaitForAsync(s => s.Length > 0 && s[^1] == "Your name:", "the name prompt");

        await terminal.TypeAsync("bob");
        await terminal.PressAsync("Enter");
        await terminal.WaitForAsync(s => s.Any(r => r.EndsWith("error: The name 'bob' is already taken. Please choose another name.", StringComparison.Ordinal)) && s[^1] == "Your name:", "the refusal and the prompt again");
        await terminal.TypeAsync("carol");
        await terminal.PressAsync("Enter");
        await terminal.WaitForAsync(s => s[^1] == "carol>", "carol's prompt");

        await terminal.TypeAsync("/who");
        await terminal.PressAsync("Enter");
        await terminal.WaitForAsync(s => s.Any(r => r.EndsWith("] Users online (2): bob, carol", StringComparison.Ordinal)), "the answer to /who");
        await terminal.TypeAsync("/msg b");
        await terminal.PressAsync("Tab");
        await terminal.WaitForAsync(s => s[^1] == "carol> /msg bob", "bob's name completed");
        await terminal.PressAsync("C-u", "Up");
        await terminal.WaitForAsync(s => s[^1] == "carol> /who", "the last line from history");
        await terminal.PressAsync("C-u", "C-d");
        await terminal.WaitForAsync(s => s.Contains("EXIT=0"), "Ctrl+D on an empty line leaves");
    }

    [Fact]
    public async Task With_reconnect_the_half_typed_line_survives_the_server_restarting()
    {
        var first = await TestServer.StartAsync();
        var port = first.ChatEndPoint.Port;
        var command = $"'{ParleyProcess.DotnetHost}' '{ParleyProcess.ParleyDll}' chat 127.0.0.1 {port} --user alice --reconnect; echo EXIT=$?; sleep 600";
        await using var terminal = await TmuxSession.StartAsync(command, columns: 100, rows: 30);
        await terminal.WaitForAsync(s => s.Length > 0 && s[^1] == "alice>", "the prompt after joining");
        await terminal.TypeAsync("written across a restart");
        await terminal.WaitForAsync(s => s[^1] == "alice> written across a restart", "the half-typed line");

        await first.DisposeAsync();
        await terminal.WaitForAsync(s => s.Any(r => r.Contains("Reconnecting in", StringComparison.Ordinal)), "the reconnect notice");
        await terminal.PressAsync("Enter");
        await terminal.WaitForAsync(s => s.Any(r => r.Contains("error: not connected (reconnecting). Your line is kept", StringComparison.Ordinal)), "Enter refused while away");
        await using var second = await TestServer.StartAsync(o => o.Port = port);

        var screen = await terminal.WaitForAsync(s => s.Any(r => r.EndsWith($"] Reconnected to 127.0.0.1:{port} as alice.", StringComparison.Ordinal)) && s[^2].Contains("Users online (1): alice", StringComparison.Ordinal), "the rejoin");
        Assert.Equal("alice> written across a restart", screen[^1]);
        await terminal.PressAsync("Enter");
        await terminal.WaitForAsync(s => s[^2].EndsWith("] alice: written across a restart", StringComparison.Ordinal) && s[^1] == "alice>", "the kept line sent to the new server");
    }
}
