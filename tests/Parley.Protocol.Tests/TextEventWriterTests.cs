using System.Buffers;
using System.Text;
using Parley.Protocol.Events;

namespace Parley.Protocol.Tests;

public sealed class TextEventWriterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 14, 30, 25, 123, TimeSpan.Zero);
    private static readonly TimeZoneInfo Plus2 = TimeZoneInfo.CreateCustomTimeZone("Test+02", TimeSpan.FromHours(2), "Test+02", "Test+02");
    private static readonly TimeZoneInfo Minus530 = TimeZoneInfo.CreateCustomTimeZone("Test-0530", new TimeSpan(-5, -30, 0), "Test-0530", "Test-0530");

    public static TheoryData<ServerEvent, string> Cases => new()
    {
        { new ChatEvent("bob", "Hi!", null, At), "[16:30:25] bob: Hi!\n" },
        { new ChatEvent("bob", "Hi!", "red", At), "[16:30:25] bob: Hi!\n" },
        { new PrivateMessageEvent("bob", "psst", null, At), "[16:30:25] [PM] bob: psst\n" },
        { new PrivateConfirmationEvent("bob", "psst", null, true, At), "[16:30:25] [PM to bob] psst\n" },
        { new SystemEvent("joined", "bob", "bob joined the chat", At), "[16:30:25] *** bob joined the chat\n" },
        { new SystemEvent("left", "bob", "bob left the chat", At), "[16:30:25] *** bob left the chat\n" },
        { new ServerNoticeEvent("Maintenance at noon", At), "[16:30:25] [SERVER] Maintenance at noon\n" },
        { new WelcomeEvent("alice", ["alice", "bob"], null), "Welcome to Parley, alice! Type /help for commands.\nUsers online (2): alice, bob\n" },
        { new WelcomeEvent("alice", ["alice"], "Be nice"), "Welcome to Parley, alice! Type /help for commands.\n*** Be nice\nUsers online (1): alice\n" },
        { new WelcomeEvent("alice", ["alice"], string.Empty), "Welcome to Parley, alice! Type /help for commands.\nUsers online (1): alice\n" },
        { new UsersEvent(["alice", "bob", "carol"]), "Users: alice, bob, carol\n" },
        { PongEvent.Instance, "PONG\n" },
        { new ErrorEvent("username_taken", "Username 'bob' is already taken"), "ERROR Username 'bob' is already taken\n" },
        { new GoodbyeEvent("Goodbye, alice!"), "Goodbye, alice!\n" },
        { new PromptEvent("Please enter a username:"), "Please enter a username:\n" },
        {
            new HelpEvent([new HelpEntry("/who", "list users"), new HelpEntry("/msg NAME TEXT", "private")]),
            "Commands:\n  /who            list users\n  /msg NAME TEXT  private\nAnything else you type is sent to everyone.\n"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Writes_each_event_as_exact_lines(ServerEvent evt, string expected)
    {
        Assert.Equal(expected, TextEventWriter.Format(evt, Plus2));
        Assert.Equal(Encoding.UTF8.GetBytes(expected), TextEventWriter.Encode(evt, Plus2));

        var buffer = new ArrayBufferWriter<byte>(1);
        TextEventWriter.Write(evt, Plus2, buffer);
        Assert.Equal(Encoding.UTF8.GetBytes(expected), buffer.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData("utc", "[14:30:25] a: b\n")]
    [InlineData("plus2", "[16:30:25] a: b\n")]
    [InlineData("minus530", "[09:00:25] a: b\n")]
    public void The_time_zone_is_applied(string zone, string expected)
    {
        var tz = zone switch
        {
            "plus2" => Plus2,
            "minus530" => Minus530,
            _ => TimeZoneInfo.Utc,
        };

        Assert.Equal(expected, TextEventWriter.Format(new ChatEvent("a", "b", null, At), tz));
    }

    [Fact]
    public void Hours_are_24_hour_clock_and_cross_midnight()
    {
        var late = new DateTimeOffset(2026, 11, 22, 23, 5, 9, TimeSpan.Zero);

        Assert.Equal("[01:05:09] *** x\n", TextEventWriter.Format(new SystemEvent("joined", "x", "x", late), Plus2));
        Assert.Equal("[17:35:09] *** x\n", TextEventWriter.Format(new SystemEvent("joined", "x", "x", late), Minus530));
    }

    [Fact]
    public void Non_ascii_text_is_encoded_as_utf8()
    {
        var evt = new ChatEvent("bob", "caf\u00e9 \U0001F600", null, At);

        Assert.Equal(Encoding.UTF8.GetBytes("[14:30:25] bob: caf\u00e9 \U0001F600\n"), TextEventWriter.Encode(evt, TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("ab")]
    public void A_list_whose_builder_chunks_split_a_surrogate_pair_still_encodes_it(string pad)
    {
        // A message of the day (and names) of characters outside the BMP, two UTF-16 units each, after an odd or
        // even start: a boundary between the builder's chunks falls inside a pair, which must still become one
        // 4-byte sequence, not two replacement characters.
        var motd = string.Concat(Enumerable.Repeat("\U0001F600", 300));
        string[] names = [.. Enumerable.Range(0, 5_000).Select(i => char.ConvertFromUtf32(0x1F600 + (i % 64)))];
        var evt = new WelcomeEvent("al" + pad, names, motd) { UserCount = 5_000 };
        var expected = Encoding.UTF8.GetBytes(TextEventWriter.Format(evt, Plus2));
        Assert.DoesNotContain("\ufffd", TextEventWriter.Format(evt, Plus2), StringComparison.Ordinal);

        // On fresh threads: the builder a thread keeps has grown into one chunk after its first list.
        Assert.Equal(expected, OnFreshThread(() => TextEventWriter.Encode(evt, Plus2)));
        Assert.Equal(expected, OnFreshThread(() =>
        {
            var buffer = new ArrayBufferWriter<byte>(1);
            TextEventWriter.Write(evt, Plus2, buffer);
            return buffer.WrittenSpan.ToArray();
        }));
    }

    private static byte[] OnFreshThread(Func<byte[]> encode)
    {
        byte[]? result = null;
        var thread = new Thread(() => result = encode());
        thread.Start();
        thread.Join();
        return result!;
    }

    [Fact]
    public void A_list_encodes_the_same_after_a_larger_one_and_beyond_the_kept_builder()
    {
        // Lists are built in a builder the thread keeps; each encoding must stand alone, whatever came before.
        string[] huge = [.. Enumerable.Range(0, 20_000).Select(i => $"\u00e9l\u00e8ve{i}")];
        string[] small = ["\u00e9mile", "zo\u00eb"];
        ServerEvent[] events =
        [
            new WelcomeEvent("al", huge, "motd") { UserCount = 30_000 },
            new WelcomeEvent("zo\u00eb", small, null),
            new RoomEvent("joined", "#r", "topic", huge, "You joined #r") { UserCount = 25_000 },
            new UsersEvent(small) { Room = "#r", Page = 2, Pages = 3, UserCount = 1200 },
            new RoomsEvent([new RoomInfo("#r", 2, "t", false)]),
            new WelcomeEvent("x", small, null),
        ];

        foreach (var evt in events)
        {
            var expected = Encoding.UTF8.GetBytes(TextEventWriter.Format(evt, Plus2));
            Assert.Equal(expected, TextEventWriter.Encode(evt, Plus2));
            var buffer = new ArrayBufferWriter<byte>(1);
            TextEventWriter.Write(evt, Plus2, buffer);
            Assert.Equal(expected, buffer.WrittenSpan.ToArray());
        }

        Assert.EndsWith("and 10000 more (/who 2)\n", TextEventWriter.Format(events[0], Plus2), StringComparison.Ordinal);
        Assert.Equal("Welcome to Parley, x! Type /help for commands.\nUsers online (2): \u00e9mile, zo\u00eb\n", Encoding.UTF8.GetString(TextEventWriter.Encode(events[^1], Plus2)));
    }

    [Fact]
    public void An_unknown_event_is_refused()
    {
        Assert.Throws<ArgumentException>(() => TextEventWriter.Format(new UnknownEvent(), TimeZoneInfo.Utc));
    }
}
