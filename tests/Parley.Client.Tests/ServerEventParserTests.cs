using System.Text;
using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Client.Tests;

public sealed class ServerEventParserTests
{
    private static readonly DateTimeOffset Sent = new(2026, 11, 22, 14, 30, 25, 123, TimeSpan.Zero);
    private static readonly DateTimeOffset Received = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<ServerEvent> SimpleEvents() =>
    [
        new ChatEvent("bob", "Hi! ünïcödé ✓", null, Sent),
        new ChatEvent("bob", "in red", "red", Sent),
        new PrivateMessageEvent("bob", "psst", "cyan", Sent),
        new PrivateConfirmationEvent("bob", "psst", null, false, Sent),
        new SystemEvent("joined", "bob", "bob joined the chat", Sent),
        new ServerNoticeEvent("Maintenance at noon", Sent),
        PongEvent.Instance,
        new ErrorEvent(ErrorCodes.UsernameTaken, "Username already taken"),
        new GoodbyeEvent("Goodbye, alice!"),
        new PromptEvent("Name?"),
        new FileSharedEvent("f1", "bob", null, "a b.pdf", 1234567, "ab12", "http://h:1/files/f1/a%20b.pdf?token=t", "/files/f1/a%20b.pdf?token=t", Sent),
        new FileSharedEvent("f2", "bob", "alice", "x", 0, "cd", "u", "p", Sent),
        new FileUploadEvent("u1", "a.bin", 99, "http://h/files/uploads/u1?token=t", "/files/uploads/u1?token=t", 1048576),
        new FileRefusedEvent("big.iso", ErrorCodes.FileTooLarge, "too big"),
        new FileSharedEvent("f3", "bob", null, "plan.txt", 10, "ef", "u", "p", Sent) { Room = "#dev" },
        new FileUploadEvent("f4", "a.bin", 99, "", "", 0) { Complete = true, Url = "http://h/files/f4/a.bin?token=t", Path = "/files/f4/a.bin?token=t" },
        new ChatEvent("bob", "old news", null, Sent) { Room = "#dev", Id = 42, History = true },
        new PrivateMessageEvent("bob", "while you were out", null, Sent) { Offline = true },
        new PrivateConfirmationEvent("bob", "later", null, false, Sent) { Later = true },
        new SystemEvent("joined", "bob", "bob joined #dev", Sent) { Room = "#dev" },
        new InfoEvent("Registered alice"),
        new HistoryEndEvent("#dev", 50, 42, true),
        new SearchEndEvent("deploy failed", 3),
        new PresenceEvent("#general", 42, 3, 15000, "+42 joined, 3 left in the last 5 s (15000 here)", Sent),
    ];

    [Fact]
    public void Reads_the_counts_and_pages_of_a_large_room()
    {
        Assert.True(Parse(JsonEventWriter.Encode(new WelcomeEvent("alice", ["alice", "bob"], null) { UserCount = 900 }), out var welcome));
        Assert.Equal(900, Assert.IsType<WelcomeEvent>(welcome).UserCount);

        Assert.True(Parse(JsonEventWriter.Encode(new UsersEvent(["a", "b"]) { Page = 2, Pages = 5, UserCount = 9 }), out var users));
        var page = Assert.IsType<UsersEvent>(users);
        Assert.Equal((2, 5, 9), (page.Page, page.Pages, page.UserCount));
        Assert.Equal(["a", "b"], page.Users);

        Assert.True(Parse(JsonEventWriter.Encode(new RoomEvent("joined", "#big", null, ["a"], "You joined #big") { UserCount = 700 }), out var room));
        Assert.Equal(700, Assert.IsType<RoomEvent>(room).UserCount);

        Assert.True(Parse("""{"type":"users","users":[],"page":-1,"user_count":99999999999}""", out var hostile));
        Assert.Equal((null, null), (Assert.IsType<UsersEvent>(hostile).Page, ((UsersEvent)hostile).UserCount));
    }

    [Fact]
    public void Reads_room_changes_and_room_lists()
    {
        Assert.True(Parse(JsonEventWriter.Encode(new RoomEvent("joined", "#dev", "Release", ["alice", "bob"], "You joined #dev")), out var room));
        var r = Assert.IsType<RoomEvent>(room);
        Assert.Equal(("joined", "#dev", "Release", "You joined #dev"), (r.Event, r.Room, r.Topic, r.Message));
        Assert.Equal(["alice", "bob"], r.Users);

        Assert.True(Parse(JsonEventWriter.Encode(new RoomsEvent([new RoomInfo("#dev", 2, "Release", false), new RoomInfo("#ops", 1, null, true)])), out var rooms));
        Assert.Equal([new RoomInfo("#dev", 2, "Release", false), new RoomInfo("#ops", 1, null, true)], Assert.IsType<RoomsEvent>(rooms).Rooms);
    }

    [Theory]
    [MemberData(nameof(SimpleEvents))]
    public void Reads_what_the_server_writes(ServerEvent sent)
    {
        Assert.True(Parse(JsonEventWriter.Encode(sent), out var read));
        Assert.Equal(sent, read);
    }

    [Fact]
    public void Reads_lists_in_welcome_users_and_help()
    {
        Assert.True(Parse(JsonEventWriter.Encode(new WelcomeEvent("alice", ["alice", "bob"], "motd")), out var w));
        var welcome = Assert.IsType<WelcomeEvent>(w);
        Assert.Equal(("alice", "motd"), (welcome.Username, welcome.Motd));
        Assert.Equal(["alice", "bob"], welcome.Users);

        Assert.True(Parse(JsonEventWriter.Encode(new UsersEvent([])), out var u));
        Assert.Empty(Assert.IsType<UsersEvent>(u).Users);

        Assert.True(Parse(JsonEventWriter.Encode(new HelpEvent([new HelpEntry("/who", "list"), new HelpEntry("/ping", "check")])), out var h));
        Assert.Equal([new HelpEntry("/who", "list"), new HelpEntry("/ping", "check")], Assert.IsType<HelpEvent>(h).Commands);
    }

    [Fact]
    public void Fields_may_come_in_any_order_and_unknown_fields_are_ignored()
    {
        Assert.True(Parse("""{"content":"x","extra":{"deep":[1,2,{"a":null}]},"username":"bob","type":"message"}""", out var evt));
        Assert.Equal(new ChatEvent("bob", "x", null, Received), evt);
    }

    [Fact]
    public void An_unknown_type_is_kept_whole_for_the_caller()
    {
        const string line = """{"type":"typing","username":"bob"}""";
        Assert.True(Parse(line, out var evt));
        Assert.Equal(new UnknownEvent("typing", line), evt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Welcome to Parley! Please enter a username:")]
    [InlineData("[1,2]")]
    [InlineData("{}")]
    [InlineData("""{"type":""}""")]
    [InlineData("""{"type":"message"} trailing""")]
    [InlineData("""{"type":"message","content":5}""")]
    [InlineData("""{"type":"message","content":"unterminated}""")]
    [InlineData("""{"type":"users","users":[1]}""")]
    [InlineData("""{"type":"private_confirmation","delivered":"yes"}""")]
    public void Rejects_lines_that_are_not_one_typed_object(string line) => Assert.False(Parse(line, out _));

    [Fact]
    public void Rejects_every_truncation_of_a_valid_line_without_throwing()
    {
        var bytes = JsonEventWriter.Encode(new WelcomeEvent("alice", ["alice", "bob"], "hi"));
        var json = bytes.AsSpan(0, bytes.Length - 1).ToArray(); // without the newline
        for (var i = 0; i < json.Length; i++)
        {
            Assert.False(ServerEventParser.TryParse(json.AsSpan(0, i), Received, out _), $"prefix of {i} bytes");
        }

        Assert.True(ServerEventParser.TryParse(json, Received, out _));
    }

    private static bool Parse(string line, out ServerEvent? evt) => Parse(Encoding.UTF8.GetBytes(line), out evt);

    private static bool Parse(byte[] line, out ServerEvent? evt)
    {
        // The writer's trailing newline is the framer's business, not the parser's.
        var span = line.AsSpan();
        if (span.Length > 0 && span[^1] == (byte)'\n')
        {
            span = span[..^1];
        }

        return ServerEventParser.TryParse(span, Received, out evt);
    }
}
