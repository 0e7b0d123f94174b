using System.Net;
using System.Net.Sockets;
using Parley.Protocol;
using Parley.Protocol.Events;
using Parley.Testing;

namespace Parley.Client.Tests;

public sealed class ChatClientTests
{
    [Fact]
    public async Task Join_returns_the_welcome_which_also_starts_the_event_stream()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.Motd = "be nice");
        await using var bob = await JoinAsync(server, "bob");
        await using var alice = await ConnectAsync(server);

        var welcome = await alice.JoinAsync("alice");

        Assert.Equal("alice", welcome.Username);
        Assert.Equal(["alice", "bob"], welcome.Users);
        Assert.Equal("be nice", welcome.Motd);
        Assert.True(alice.IsJoined);
        Assert.Equal("alice", alice.Username);
        Assert.True(alice.Events.TryRead(out var first));
        Assert.Same(welcome, first);
    }

    [Fact]
    public async Task A_message_reaches_everyone_including_the_sender()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinAsync(server, "alice");
        await using var bob = await JoinAsync(server, "bob");
        var joined = await alice.NextAsync<SystemEvent>();
        Assert.Equal(("joined", "bob"), (joined.Event, joined.Username));

        await alice.SendMessageAsync("hello everyone");

        var atBob = await bob.NextAsync<ChatEvent>();
        var atAlice = await alice.NextAsync<ChatEvent>();
        Assert.Equal(("alice", "hello everyone", null), (atBob.Username, atBob.Content, atBob.Color));
        Assert.Equal(("alice", "hello everyone"), (atAlice.Username, atAlice.Content));
        Assert.True(DateTimeOffset.UtcNow - atBob.Timestamp < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_private_message_reaches_only_its_target_and_is_confirmed()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinAsync(server, "alice");
        await using var bob = await JoinAsync(server, "bob");
        await using var carol = await JoinAsync(server, "carol");

        await alice.SendPrivateAsync("bob", "psst");
        await carol.SendMessageAsync("marker");

        var received = await bob.NextAsync<PrivateMessageEvent>();
        Assert.Equal(("alice", "psst"), (received.Sender, received.Content));
        var confirmed = await alice.NextAsync<PrivateConfirmationEvent>();
        Assert.Equal(("bob", "psst", true), (confirmed.Target, confirmed.Content, confirmed.Delivered));

        // Carol's own marker comes after anything the server sent her about alice's message: there was none.
        var marker = await carol.NextAsync<ServerEvent>(e => e is PrivateMessageEvent or ChatEvent { Content: "marker" });
        Assert.IsType<ChatEvent>(marker);
    }

    [Fact]
    public async Task A_private_message_to_someone_offline_is_an_error()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinAsync(server, "alice");

        await alice.SendPrivateAsync("nobody", "hello?");

        var error = await alice.NextAsync<ErrorEvent>();
        Assert.Equal(ErrorCodes.UnknownUser, error.Code);
        Assert.Contains("nobody", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Who_lists_everyone_whatever_their_transport()
    {
        await using var server = await TestServer.StartAsync();
        await using var text = await server.JoinTextAsync("zed");
        await using var alice = await JoinAsync(server, "alice");

        await alice.RequestUsersAsync();
        Assert.Equal(["alice", "zed"], (await alice.NextAsync<UsersEvent>()).Users);

        // The same through the server's text-command pass-through, with the /users alias.
        await alice.SendCommandAsync("/users");
        Assert.Equal(["alice", "zed"], (await alice.NextAsync<UsersEvent>()).Users);
    }

    [Fact]
    public async Task Colour_travels_with_public_and_private_messages()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinAsync(server, "alice");
        await using var bob = await JoinAsync(server, "bob");

        await alice.SendMessageAsync("in red", "red");
        await alice.SendPrivateAsync("bob", "in cyan", "cyan");
        await alice.SendMessageAsync("in purple", "purple");

        Assert.Equal(("in red", "red"), await bob.NextAsync<ChatEvent>() is var m ? (m.Content, m.Color) : default);
        Assert.Equal(("in cyan", "cyan"), await bob.NextAsync<PrivateMessageEvent>() is var p ? (p.Content, p.Color) : default);
        Assert.Equal("cyan", (await alice.NextAsync<PrivateConfirmationEvent>()).Color);
        Assert.Equal(ErrorCodes.InvalidColor, (await alice.NextAsync<ErrorEvent>()).Code);
    }

    [Fact]
    public async Task A_taken_name_is_refused_and_the_same_connection_can_try_another()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinAsync(server, "alice");
        await using var second = await ConnectAsync(server);

        var taken = await Assert.ThrowsAsync<JoinRefusedException>(() => second.JoinAsync("ALICE"));
        Assert.Equal(ErrorCodes.UsernameTaken, taken.Code);
        Assert.Contains("taken", taken.Message, StringComparison.Ordinal);
        var invalid = await Assert.ThrowsAsync<JoinRefusedException>(() => second.JoinAsync("no spaces please"));
        Assert.Equal(ErrorCodes.InvalidUsername, invalid.Code);
        Assert.False(second.IsJoined);

        var welcome = await second.JoinAsync("alice2");
        Assert.Equal(["alice", "alice2"], welcome.Users);
    }

    [Fact]
    public async Task Ping_measures_the_round_trip_and_its_pong_follows_on_the_stream()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinAsync(server, "alice");

        await alice.SendMessageAsync("before the ping");
        var rtt = await alice.PingAsync();

        Assert.True(rtt > TimeSpan.Zero && rtt < Events.Timeout, $"round trip {rtt}");
        // In order: the message sent first is answered first, then the pong.
        Assert.Equal("before the ping", (await alice.NextAsync<ChatEvent>()).Content);
        Assert.True(alice.Events.TryRead(out var pong), "the pong is already on the stream when PingAsync completes");
        Assert.IsType<PongEvent>(pong);
    }

    [Fact]
    public async Task Server_shutdown_is_announced_and_ends_the_stream_as_closed_by_the_server()
    {
        var server = await TestServer.StartAsync();
        await using var alice = await JoinAsync(server, "alice");

        await server.DisposeAsync();

        var notice = await alice.NextAsync<ServerNoticeEvent>();
        Assert.Equal("Server is shutting down", notice.Message);
        Assert.Empty(await alice.RestAsync());
        var end = await alice.Completion.WaitAsync(Events.Timeout);
        Assert.Equal(DisconnectKind.ClosedByServer, end.Kind);
        Assert.Equal("Server is shutting down", end.Message);
        await Assert.ThrowsAsync<IOException>(async () => await alice.SendMessageAsync("anyone?"));
    }

    [Fact]
    public async Task Quit_says_goodbye_and_the_others_see_the_user_leave()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinAsync(server, "alice");
        await using var bob = await JoinAsync(server, "bob");

        var end = await alice.QuitAsync();

        Assert.Equal(DisconnectKind.Quit, end.Kind);
        Assert.Equal("Goodbye, alice!", end.Message);
        var left = await bob.NextAsync<SystemEvent>(e => e.Event == "left");
        Assert.Equal("alice", left.Username);
    }

    [Fact]
    public async Task A_kick_ends_the_connection_with_the_reason()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinAsync(server, "alice");

        Assert.True(server.Hub.Kick("alice", "spamming"));

        var end = await alice.Completion.WaitAsync(Events.Timeout);
        Assert.Equal(DisconnectKind.ClosedByServer, end.Kind);
        Assert.Equal("You have been kicked: spamming", end.Message);
    }

    [Fact]
    public async Task A_reset_connection_is_reported_as_lost()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        await using var alice = await ChatClient.ConnectAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);
        using var server = await listener.AcceptTcpClientAsync().WaitAsync(Events.Timeout);
        var join = alice.JoinAsync("alice");
        await server.GetStream().WriteAsync("{\"type\":\"welcome\",\"username\":\"alice\",\"users\":[\"alice\"]}\n"u8.ToArray());
        await join;

        server.Client.LingerState = new LingerOption(true, 0); // close with RST, as a crashed peer or a dropped network would
        server.Client.Close();

        var end = await alice.Completion.WaitAsync(Events.Timeout);
        Assert.Equal(DisconnectKind.ConnectionLost, end.Kind);
        Assert.StartsWith("Connection lost: ", end.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_server_fails_the_join_with_its_reason()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.MaxClients = 1);
        await using var alice = await JoinAsync(server, "alice");
        await using var second = await ConnectAsync(server);

        var refused = await Assert.ThrowsAsync<IOException>(() => second.JoinAsync("bob"));

        Assert.Contains("server full", refused.Message, StringComparison.Ordinal);
        Assert.Equal(DisconnectKind.ClosedByServer, (await second.Completion).Kind);
    }

    [Fact]
    public async Task The_text_mode_greeting_sent_to_a_silent_client_is_skipped()
    {
        await using var server = await TestServer.StartAsync(o => o.GreetingDelay = TimeSpan.FromMilliseconds(20));
        await using var alice = await ConnectAsync(server);

        await Eventually.TrueAsync(() => alice.SkippedLines == 1, Events.Timeout, "the text greeting arrived");
        var welcome = await alice.JoinAsync("alice");

        Assert.Equal("alice", welcome.Username);
    }

    [Fact]
    public async Task A_request_over_the_line_limit_is_refused_locally_and_the_connection_stays_usable()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinAsync(server, "alice");

        await Assert.ThrowsAsync<ArgumentException>(async () => await alice.SendMessageAsync(new string('x', 9000)));
        await alice.SendMessageAsync("still here");

        Assert.Equal("still here", (await alice.NextAsync<ChatEvent>()).Content);
    }

    [Fact]
    public async Task A_command_unknown_to_the_server_is_answered_with_an_error()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinAsync(server, "alice");

        await alice.SendCommandAsync("/frobnicate now");

        Assert.Equal(ErrorCodes.UnknownCommand, (await alice.NextAsync<ErrorEvent>()).Code);
    }

    [Fact]
    public async Task Connecting_where_no_server_listens_is_refused()
    {
        var port = FreePort();

        var error = await Assert.ThrowsAsync<SocketException>(() => ChatClient.ConnectAsync("127.0.0.1", port));

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task<ChatClient> ConnectAsync(TestServer server) =>
        ChatClient.ConnectAsync("127.0.0.1", server.ChatEndPoint.Port);

    private static async Task<ChatClient> JoinAsync(TestServer server, string name)
    {
        var client = await ConnectAsync(server);
        await client.JoinAsync(name);
        return client;
    }
}
