using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core.Tests;

public sealed class CommandTests
{
    [Theory]
    [InlineData("/who")]
    [InlineData("/users")]
    [InlineData("/WHO")]
    [InlineData("/who ignored words")]
    public void Who_lists_everyone_sorted_ignoring_case(string command)
    {
        var h = new HubHarness();
        var carol = h.JoinText("carol");
        h.JoinJson("alice");
        h.JoinText("Bob");
        Outbox.Frames(carol);

        h.Line(carol, command);

        Assert.Equal(["Users: alice, Bob, carol"], Outbox.Text(carol));
    }

    [Theory]
    [InlineData("who")]
    [InlineData("users")]
    public void Who_in_json_lists_users(string type)
    {
        var h = new HubHarness();
        var bob = h.JoinJson("bob");
        h.JoinText("alice");
        Outbox.Frames(bob);

        h.Request(bob, new ClientRequest(type));

        var users = Assert.Single(Outbox.Json(bob));
        Assert.Equal("users", users.GetProperty("type").GetString());
        Assert.Equal(["alice", "bob"], users.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public void Help_lists_every_visible_command_with_its_usage()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");

        h.Line(alice, "/help");

        var lines = Outbox.Text(alice);
        Assert.Equal("Commands:", lines[0]);
        Assert.Equal("Anything else you type is sent to everyone.", lines[^1]);
        foreach (var usage in new[] { "/msg NAME TEXT", "/color COLOUR TEXT", "/who [PAGE]", "/ping", "/help", "/quit" })
        {
            Assert.Single(lines, l => l.StartsWith("  " + usage + " ", StringComparison.Ordinal));
        }

        Assert.Equal(23, lines.Count); // 21 commands (6 chat, 9 room, 6 account) between the header and the footer
        Assert.DoesNotContain(lines, l => l.Contains("TEXT  send TEXT to everyone", StringComparison.Ordinal));
    }

    [Fact]
    public void Help_in_json_lists_the_commands()
    {
        var h = new HubHarness();
        var alice = h.JoinJson("alice");

        h.Request(alice, new ClientRequest("help"));

        var help = Assert.Single(Outbox.Json(alice));
        var usages = help.GetProperty("commands").EnumerateArray().Select(c => c.GetProperty("usage").GetString()).ToList();
        Assert.Equal(
            [
                "/msg NAME TEXT", "/color COLOUR TEXT", "/who [PAGE]", "/ping", "/help", "/quit",
                "/join #ROOM [private]", "/part [#ROOM]", "/rooms", "/names [#ROOM] [PAGE]", "/topic [TEXT]", "/invite NAME", "/kick NAME [REASON]", "/history [N]", "/search WORDS",
                "/register PASSWORD", "/password OLD NEW", "/ban NAME [MINUTES]", "/unban NAME", "/announce TEXT", "/promote NAME",
            ],
            usages);
    }

    [Fact]
    public void Ping_answers_pong()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinJson("bob");
        HubHarness.DrainAll(alice, bob);

        h.Line(alice, "/ping");
        h.Request(bob, new ClientRequest("ping"));

        Assert.Equal(["PONG"], Outbox.Text(alice));
        Assert.Equal("pong", Assert.Single(Outbox.Json(bob)).GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("/quit")]
    [InlineData("/exit")]
    [InlineData("/q")]
    [InlineData("/leave")]
    [InlineData("/QUIT")]
    [InlineData("/quit now please")]
    public void Quit_and_every_alias_say_goodbye_close_and_tell_the_others(string command)
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        h.Line(alice, command);

        Assert.Equal(["Goodbye, alice!"], Outbox.Text(alice));
        Assert.True(alice.IsClosed);
        Assert.True(Outbox.IsFinished(alice));
        Assert.Equal("quit", alice.CloseReason);
        Assert.False(alice.Aborted.IsCancellationRequested);

        // The transport notices the finished queue and reports the disconnect.
        h.Hub.Disconnected(alice);
        Assert.Equal(["[14:30:25] *** alice left the chat"], Outbox.Text(bob));
        Assert.Equal(["bob"], h.Hub.Usernames);
    }

    [Fact]
    public void Quit_in_json_says_goodbye()
    {
        var h = new HubHarness();
        var alice = h.JoinJson("alice");

        h.Request(alice, new ClientRequest("quit"));

        var goodbye = Assert.Single(Outbox.Json(alice));
        Assert.Equal("goodbye", goodbye.GetProperty("type").GetString());
        Assert.Equal("Goodbye, alice!", goodbye.GetProperty("message").GetString());
        Assert.True(Outbox.IsFinished(alice));
    }

    [Fact]
    public void Nothing_typed_after_quit_is_processed()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        // Lines that were already in alice's read buffer behind her /quit.
        h.Line(alice, "/quit");
        h.Line(alice, "still talking");
        h.Request(alice, new ClientRequest("message") { Content = "and in json" });

        Assert.Empty(Outbox.Frames(bob));
        Assert.Equal(0, h.Hub.MessagesTotal);
        Assert.DoesNotContain(h.Log.Lines, l => l.Contains("still talking", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/dance", "/dance")]
    [InlineData("/DANCE now", "/dance")]
    [InlineData("/say hidden", "/say")]
    [InlineData("/", "/")]
    [InlineData("/\u001b[31mx", "/x")]
    public void An_unknown_command_is_an_error_and_the_session_stays(string line, string shown)
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        h.Line(alice, line);

        Assert.Equal([$"ERROR Unknown command '{shown}'. Type /help for the list."], Outbox.Text(alice));
        Assert.False(alice.IsClosed);
        Assert.Empty(Outbox.Frames(bob));

        h.Line(alice, "still here");
        Assert.Equal(["[14:30:25] alice: still here"], Outbox.Text(bob));
    }

    [Fact]
    public void An_unknown_json_type_is_unknown_type_and_the_session_stays()
    {
        var h = new HubHarness();
        var alice = h.JoinJson("alice");

        h.Request(alice, new ClientRequest("dance\u001b[31m"));

        var error = Assert.IsType<ErrorEvent>(Assert.Single(Outbox.Events(alice)));
        Assert.Equal(ErrorCodes.UnknownType, error.Code);
        Assert.Equal("Unknown message type 'dance'", error.Message);
        Assert.False(alice.IsClosed);
    }

    [Fact]
    public void Protocol_errors_are_answered_and_the_session_stays()
    {
        var h = new HubHarness();
        var alice = h.JoinJson("alice");

        h.Hub.HandleProtocolError(alice, new ProtocolError(ErrorCodes.InvalidJson, "Invalid JSON"));

        Assert.Equal([ErrorCodes.InvalidJson], Outbox.ErrorCodes(alice));
        Assert.False(alice.IsClosed);
    }

    [Theory]
    [InlineData("/color red hello there", "red", "hello there")]
    [InlineData("/colour BLUE hi", "blue", "hi")]
    [InlineData("/color Cyan   spaced  out ", "cyan", "spaced  out")]
    public void Color_sends_a_coloured_message(string line, string color, string content)
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinJson("bob");
        HubHarness.DrainAll(alice, bob);

        h.Line(alice, line);

        Assert.Equal([$"[14:30:25] alice: {content}"], Outbox.Text(alice));
        var json = Assert.Single(Outbox.Json(bob));
        Assert.Equal(color, json.GetProperty("color").GetString());
        Assert.Equal(content, json.GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("/color purple hi", "purple")]
    [InlineData("/color \u001b[31m hi", "")]
    public void An_unknown_colour_is_invalid_color_and_nothing_is_sent(string line, string shown)
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        h.Line(alice, line);

        var error = Assert.IsType<ErrorEvent>(Assert.Single(Outbox.Events(alice)));
        Assert.Equal(ErrorCodes.InvalidColor, error.Code);
        Assert.StartsWith($"Unknown colour '{shown}'", error.Message, StringComparison.Ordinal);
        Assert.Empty(Outbox.Frames(bob));
    }

    [Theory]
    [InlineData("/color")]
    [InlineData("/color red")]
    public void Color_without_text_is_a_usage_error(string line)
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");

        h.Line(alice, line);

        Assert.Equal(["ERROR Usage: /color COLOUR TEXT"], Outbox.Text(alice));
    }

    [Fact]
    public void A_json_message_may_carry_a_colour()
    {
        var h = new HubHarness();
        var alice = h.JoinJson("alice");

        h.Request(alice, new ClientRequest("message") { Content = "hi", Color = "GREEN" });
        h.Request(alice, new ClientRequest("message") { Content = "hi", Color = "purple" });
        h.Request(alice, new ClientRequest("message") { Content = "hi", Color = string.Empty });

        var events = Outbox.Events(alice);
        Assert.Equal("green", Assert.IsType<ChatEvent>(events[0]).Color);
        Assert.Equal([ErrorCodes.InvalidColor, ErrorCodes.InvalidColor], events.Skip(1).Select(e => Assert.IsType<ErrorEvent>(e).Code));
    }

    [Fact]
    public void Private_with_color_combines_the_two()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinJson("bob");
        var carol = h.JoinText("carol");
        HubHarness.DrainAll(alice, bob, carol);

        h.Line(alice, "/private bob /color Blue the secret plan");

        var pm = Assert.Single(Outbox.Json(bob));
        Assert.Equal("private_message", pm.GetProperty("type").GetString());
        Assert.Equal("alice", pm.GetProperty("sender").GetString());
        Assert.Equal("the secret plan", pm.GetProperty("content").GetString());
        Assert.Equal("blue", pm.GetProperty("color").GetString());
        Assert.Equal(["[14:30:25] [PM to bob] the secret plan"], Outbox.Text(alice));
        Assert.Empty(Outbox.Frames(carol));
    }

    [Theory]
    [InlineData("/msg bob /color purple hi", ErrorCodes.InvalidColor)]
    [InlineData("/msg bob /color red", ErrorCodes.Usage)]
    [InlineData("/msg bob /colour", ErrorCodes.Usage)]
    public void Private_with_a_bad_colour_is_refused(string line, string code)
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        h.Line(alice, line);

        Assert.Equal([code], Outbox.ErrorCodes(alice));
        Assert.Empty(Outbox.Frames(bob));
    }

    [Fact]
    public void The_command_table_ignores_case_and_refuses_a_name_twice()
    {
        var table = new CommandTable();
        table.Add(new CommandDefinition("two", "/two A B", "needs two", 2, 2, _ => { }));

        Assert.True(table.TryGet("TWO", out var definition));
        Assert.Equal("two", definition.Name);
        Assert.Throws<InvalidOperationException>(() => table.Add(new CommandDefinition("x", "/x", "x", 0, 0, _ => { }) { Aliases = ["Two"] }));
    }
}
