using Parley.Cli.Chat;
using Parley.Protocol.Events;
using Parley.Testing;

namespace Parley.Client.Tests;

public sealed class EventFormatterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 14, 30, 25, TimeSpan.Zero);

    private readonly EventFormatter _format = new(new ManualTimeProvider(At.AddSeconds(5)) { Zone = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2") })
    {
        OwnName = "alice",
    };

    private static readonly (ServerEvent Event, string Text, Tone Tone)[] Cases =
    [
        (new ChatEvent("ALICE", "mine", null, At), "[16:30:25] ALICE: mine", Tone.Own),
        (new ChatEvent("bob", "theirs", null, At), "[16:30:25] bob: theirs", Tone.Other),
        (new PrivateMessageEvent("bob", "psst", null, At), "[16:30:25] [PM] bob: psst", Tone.PrivateReceived),
        (new PrivateConfirmationEvent("bob", "psst", null, true, At), "[16:30:25] [PM to bob] psst", Tone.PrivateSent),
        (new PrivateConfirmationEvent("bob", "psst", null, false, At), "[16:30:25] [PM to bob] psst (not delivered)", Tone.PrivateSent),
        (new SystemEvent("joined", "bob", "bob joined the chat", At), "[16:30:25] *** bob joined the chat", Tone.System),
        (new ServerNoticeEvent("Maintenance at noon", At), "[16:30:25] [SERVER] Maintenance at noon", Tone.Server),
        (new UsersEvent(["alice", "bob"]), "[16:30:30] Users online (2): alice, bob", Tone.System),
        (new UsersEvent(["alice", "bob"]) { Page = 1, Pages = 3, UserCount = 6 }, "[16:30:30] Users (page 1 of 3, 6 in all): alice, bob -- /who 2 for more", Tone.System),
        (new PresenceEvent("#general", 42, 3, 900, "+42 joined, 3 left in the last 5 s (900 here)", At), "[16:30:25] *** +42 joined, 3 left in the last 5 s (900 here)", Tone.System),
        (new ErrorEvent("unknown_user", "User 'x' is not online"), "[16:30:30] error: User 'x' is not online", Tone.Error),
        (new GoodbyeEvent("Goodbye, alice!"), "[16:30:30] *** Goodbye, alice!", Tone.System),
        (new ChatEvent("bob", "in dev", null, At) { Room = "#dev" }, "[16:30:25] #dev bob: in dev", Tone.Other),
        (new ChatEvent("bob", "old", null, At) { Room = "#general", History = true }, "[2026-11-22 16:30:25] #general bob: old", Tone.History),
        (new HistoryEndEvent("#general", 1, 7, false), "[16:30:30] *** End of history of #general (1 messages)", Tone.History),
        (new SearchEndEvent("old", 1), "[16:30:30] *** 1 result for \"old\"", Tone.History),
        (new PrivateConfirmationEvent("bob", "psst", null, false, At) { Later = true }, "[16:30:25] [PM to bob] psst (delivered later)", Tone.PrivateSent),
        (new FileSharedEvent("f1", "alice", null, "plan.txt", 1000, "ab", "u", "p", At) { Room = "#dev" }, "[16:30:25] *** #dev alice shared plan.txt (1000 B)", Tone.System),
        (new FileSharedEvent("f1", "alice", null, "plan.txt", 1000, "ab", "u", "p", At) { Room = "#general" }, "[16:30:25] *** alice shared plan.txt (1000 B)", Tone.System),
    ];

    [Fact]
    public void Every_line_has_local_time_and_the_tone_of_its_kind()
    {
        foreach (var (evt, text, tone) in Cases)
        {
            var line = Assert.Single(_format.Format(evt));
            Assert.Equal(text, line.Text);
            Assert.All(line.Pieces, p => Assert.Equal(tone, p.Tone));
        }
    }

    [Fact]
    public void A_coloured_message_shows_its_text_in_its_colour_and_the_name_in_the_tone_of_its_kind()
    {
        var line = Assert.Single(_format.Format(new ChatEvent("bob", "alarm", "red", At)));

        Assert.Equal([new ScreenLine.Piece("[16:30:25] bob: ", Tone.Other), new ScreenLine.Piece("alarm", Tone.Red)], line.Pieces);
        Assert.Equal("\u001b[32m[16:30:25] bob: \u001b[0m\u001b[31malarm\u001b[0m", new Palette(true).Paint(line));
        Assert.Equal("[16:30:25] bob: alarm", new Palette(false).Paint(line));
    }

    [Fact]
    public void The_welcome_shows_greeting_motd_and_who_is_online()
    {
        var lines = _format.Format(new WelcomeEvent("alice", ["alice", "bob"], "be nice")).Select(l => l.Text);

        Assert.Equal(
            [
                "[16:30:30] *** Welcome to Parley, alice! Type /help for commands.",
                "[16:30:30] *** be nice",
                "[16:30:30] *** Users online (2): alice, bob",
            ],
            lines);
    }

    [Theory]
    [InlineData(false, true, null, null, true)]
    [InlineData(true, true, null, null, false)]
    [InlineData(false, false, null, null, false)]
    [InlineData(false, true, "1", null, false)]
    [InlineData(false, true, "", null, true)]
    [InlineData(false, true, null, "dumb", false)]
    public void Colour_only_for_a_terminal_without_NO_COLOR_or_no_color(bool flag, bool terminal, string? noColor, string? term, bool expected)
    {
        var env = new Dictionary<string, string?> { ["NO_COLOR"] = noColor, ["TERM"] = term };
        Assert.Equal(expected, Palette.ShouldColor(flag, terminal, name => env[name]));
    }

    [Fact]
    public void Each_kind_has_its_colour()
    {
        Assert.Equal(
            ["\u001b[90m", "\u001b[31m", "\u001b[34m", "\u001b[32m", "\u001b[35m", "\u001b[38;5;208m", "\u001b[1;31m"],
            new[] { Tone.System, Tone.Server, Tone.Own, Tone.Other, Tone.PrivateSent, Tone.PrivateReceived, Tone.Error }.Select(Palette.Code));
    }
}
