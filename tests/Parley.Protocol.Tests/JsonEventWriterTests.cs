using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Parley.Protocol.Events;

namespace Parley.Protocol.Tests;

public sealed class JsonEventWriterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 14, 30, 25, 123, TimeSpan.Zero);
    private const string Stamp = "2026-11-22T14:30:25.123Z";

    public static TheoryData<ServerEvent, string> Cases => new()
    {
        { new ChatEvent("bob", "Hi!", null, At), $$"""{"type":"message","username":"bob","content":"Hi!","timestamp":"{{Stamp}}"}""" },
        { new ChatEvent("bob", "Hi!", "red", At), $$"""{"type":"message","username":"bob","content":"Hi!","color":"red","timestamp":"{{Stamp}}"}""" },
        { new PrivateMessageEvent("bob", "psst", null, At), $$"""{"type":"private_message","sender":"bob","content":"psst","timestamp":"{{Stamp}}"}""" },
        { new PrivateMessageEvent("bob", "psst", "cyan", At), $$"""{"type":"private_message","sender":"bob","content":"psst","color":"cyan","timestamp":"{{Stamp}}"}""" },
        { new PrivateConfirmationEvent("bob", "psst", null, true, At), $$"""{"type":"private_confirmation","target":"bob","content":"psst","delivered":true,"timestamp":"{{Stamp}}"}""" },
        { new PrivateConfirmationEvent("bob", "psst", "blue", false, At), $$"""{"type":"private_confirmation","target":"bob","content":"psst","color":"blue","delivered":false,"timestamp":"{{Stamp}}"}""" },
        { new SystemEvent("joined", "bob", "bob joined the chat", At), $$"""{"type":"system","event":"joined","username":"bob","message":"bob joined the chat","timestamp":"{{Stamp}}"}""" },
        { new SystemEvent("left", "bob", "bob left the chat", At), $$"""{"type":"system","event":"left","username":"bob","message":"bob left the chat","timestamp":"{{Stamp}}"}""" },
        { new ServerNoticeEvent("Maintenance at noon", At), $$"""{"type":"server","message":"Maintenance at noon","timestamp":"{{Stamp}}"}""" },
        { new WelcomeEvent("alice", ["alice", "bob"], "Be nice"), """{"type":"welcome","username":"alice","users":["alice","bob"],"motd":"Be nice"}""" },
        { new WelcomeEvent("alice", ["alice"], null), """{"type":"welcome","username":"alice","users":["alice"]}""" },
        { new UsersEvent(["alice", "bob"]), """{"type":"users","users":["alice","bob"]}""" },
        { new UsersEvent([]), """{"type":"users","users":[]}""" },
        { PongEvent.Instance, """{"type":"pong"}""" },
        { new ErrorEvent("username_taken", "Username already taken"), """{"type":"error","code":"username_taken","message":"Username already taken"}""" },
        { new HelpEvent([new HelpEntry("/who", "list users"), new HelpEntry("/ping", "answers PONG")]), """{"type":"help","commands":[{"usage":"/who","description":"list users"},{"usage":"/ping","description":"answers PONG"}]}""" },
        { new GoodbyeEvent("Goodbye, alice!"), """{"type":"goodbye","message":"Goodbye, alice!"}""" },
        { new PromptEvent("Please enter a username:"), """{"type":"prompt","message":"Please enter a username:"}""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Writes_each_event_as_one_exact_line(ServerEvent evt, string expected)
    {
        Assert.Equal(expected + "\n", Encoding.UTF8.GetString(JsonEventWriter.Encode(evt)));
    }

    public static TheoryData<ServerEvent> Events => [.. Cases.Select(row => (ServerEvent)row[0])];

    [Theory]
    [MemberData(nameof(Events))]
    public void Each_line_parses_back_with_type_first(ServerEvent evt)
    {
        var bytes = JsonEventWriter.Encode(evt);
        Assert.Equal((byte)'\n', bytes[^1]);
        Assert.Equal(1, bytes.Count(b => b == (byte)'\n'));

        using var doc = JsonDocument.Parse(bytes);
        var first = doc.RootElement.EnumerateObject().First();
        Assert.Equal("type", first.Name);
        Assert.Equal(JsonValueKind.String, first.Value.ValueKind);
    }

    [Fact]
    public void Round_trips_awkward_content_through_system_text_json()
    {
        var content = "quote \" backslash \\ slash / nl \n cr \r tab \t nul \u0000 esc \u001b <script>&amp; caf\u00e9 \u540d \U0001F600 \u2028 \u202e";
        var evt = new ChatEvent("alice", content, "green", At);

        var bytes = JsonEventWriter.Encode(evt);
        Assert.Equal(1, bytes.Count(b => b == (byte)'\n'));
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;

        Assert.Equal("message", root.GetProperty("type").GetString());
        Assert.Equal("alice", root.GetProperty("username").GetString());
        Assert.Equal(content, root.GetProperty("content").GetString());
        Assert.Equal("green", root.GetProperty("color").GetString());
        Assert.Equal(At, root.GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public void Round_trips_every_field_of_the_list_events()
    {
        using var welcome = JsonDocument.Parse(JsonEventWriter.Encode(new WelcomeEvent("\u00e9", ["a", "\u00e9", "z"], "m\"otd")));
        Assert.Equal(["a", "\u00e9", "z"], welcome.RootElement.GetProperty("users").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("m\"otd", welcome.RootElement.GetProperty("motd").GetString());

        using var help = JsonDocument.Parse(JsonEventWriter.Encode(new HelpEvent([new HelpEntry("/a \"b\"", "c\\d")])));
        var entry = Assert.Single(help.RootElement.GetProperty("commands").EnumerateArray());
        Assert.Equal("/a \"b\"", entry.GetProperty("usage").GetString());
        Assert.Equal("c\\d", entry.GetProperty("description").GetString());
    }

    [Fact]
    public void Non_ascii_text_in_the_basic_plane_stays_readable()
    {
        // Characters outside the BMP (emoji) come out as \uD83D\uDE00 escapes: valid, just not raw.
        var line = Encoding.UTF8.GetString(JsonEventWriter.Encode(new ServerNoticeEvent("caf\u00e9 \u540d\u524d <&>", At)));

        Assert.Contains("caf\u00e9 \u540d\u524d <&>", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2026, 11, 22, 16, 30, 25, 123, 2, "2026-11-22T14:30:25.123Z")]
    [InlineData(2026, 11, 22, 0, 15, 0, 0, 5, "2026-11-21T19:15:00.000Z")]
    [InlineData(2026, 12, 31, 20, 0, 0, 7, -5, "2027-01-01T01:00:00.007Z")]
    [InlineData(2026, 1, 2, 3, 4, 5, 999, 0, "2026-01-02T03:04:05.999Z")]
    public void Timestamps_are_iso_8601_utc_with_milliseconds(int y, int mo, int d, int h, int mi, int s, int ms, int offsetHours, string expected)
    {
        var time = new DateTimeOffset(y, mo, d, h, mi, s, ms, TimeSpan.FromHours(offsetHours));

        Assert.Equal(expected, JsonEventWriter.FormatTimestamp(time));
        using var doc = JsonDocument.Parse(JsonEventWriter.Encode(new ServerNoticeEvent("x", time)));
        Assert.Equal(expected, doc.RootElement.GetProperty("timestamp").GetString());
        Assert.Equal(time, DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Sub_millisecond_ticks_are_truncated_not_rounded()
    {
        var time = At.AddTicks(9_999);

        Assert.Equal(Stamp, JsonEventWriter.FormatTimestamp(time));
    }

    [Fact]
    public void Write_appends_lines_to_the_buffer()
    {
        var buffer = new ArrayBufferWriter<byte>(1);
        JsonEventWriter.Write(PongEvent.Instance, buffer);
        JsonEventWriter.Write(new GoodbyeEvent("bye"), buffer);

        Assert.Equal("{\"type\":\"pong\"}\n{\"type\":\"goodbye\",\"message\":\"bye\"}\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void An_unknown_event_is_refused_and_the_writer_stays_usable()
    {
        var buffer = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => JsonEventWriter.Write(new UnknownEvent(), buffer));
        Assert.Equal(0, buffer.WrittenCount);
        Assert.Equal("{\"type\":\"pong\"}\n", Encoding.UTF8.GetString(JsonEventWriter.Encode(PongEvent.Instance)));
    }

    [Fact]
    public void An_event_encoded_after_a_larger_one_holds_only_its_own_bytes()
    {
        // Encode reuses the thread's buffer: the copy must end where this event ends, and a buffer grown past
        // what is kept must not break the next call either.
        string[] many = [.. Enumerable.Range(0, 10_000).Select(i => $"member{i}")];
        using (var big = JsonDocument.Parse(JsonEventWriter.Encode(new WelcomeEvent("a", many, null) { UserCount = 20_000 })))
        {
            Assert.Equal(10_000, big.RootElement.GetProperty("users").GetArrayLength());
        }

        Assert.Equal("{\"type\":\"pong\"}\n", Encoding.UTF8.GetString(JsonEventWriter.Encode(PongEvent.Instance)));
        Assert.Equal(
            $$"""{"type":"message","username":"b","content":"{{new string('q', 200)}}","timestamp":"{{Stamp}}"}""" + "\n",
            Encoding.UTF8.GetString(JsonEventWriter.Encode(new ChatEvent("b", new string('q', 200), null, At))));
        Assert.Equal("{\"type\":\"pong\"}\n", Encoding.UTF8.GetString(JsonEventWriter.Encode(PongEvent.Instance)));
    }

    [Fact]
    public void Writers_on_many_threads_do_not_mix_their_output()
    {
        // The writer is cached per thread; this shows the cache is not shared.
        var results = new string[64];
        Parallel.For(0, results.Length, i =>
        {
            for (var j = 0; j < 200; j++)
            {
                results[i] = Encoding.UTF8.GetString(JsonEventWriter.Encode(new ChatEvent($"u{i}", new string('x', i * 10), null, At)));
            }
        });

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal($$"""{"type":"message","username":"u{{i}}","content":"{{new string('x', i * 10)}}","timestamp":"{{Stamp}}"}""" + "\n", results[i]);
        }
    }
}
