using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core.Tests;

public sealed class JoinTests
{
    [Fact]
    public void A_text_join_is_welcomed_with_the_motd_and_who_is_online()
    {
        var h = new HubHarness(o => o.Motd = "Be nice");
        h.JoinText("bob");
        var alice = h.Connect();

        h.Line(alice, "alice");

        Assert.Equal(SessionState.Joined, alice.State);
        Assert.Equal("alice", alice.Username);
        Assert.Equal(
            ["Welcome to Parley, alice! Type /help for commands.", "*** Be nice", "Users online (2): alice, bob"],
            Outbox.Text(alice));
    }

    [Fact]
    public void A_json_join_is_welcomed_with_the_sorted_user_list()
    {
        var h = new HubHarness(o => o.Motd = "motd");
        h.JoinText("zed");
        h.JoinJson("Bob");
        var alice = h.Connect(ProtocolKind.Json);

        h.Request(alice, new ClientRequest("join") { Username = "alice" });

        var welcome = Assert.Single(Outbox.Json(alice));
        Assert.Equal("welcome", welcome.GetProperty("type").GetString());
        Assert.Equal("alice", welcome.GetProperty("username").GetString());
        Assert.Equal(["alice", "Bob", "zed"], welcome.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("motd", welcome.GetProperty("motd").GetString());
    }

    [Fact]
    public void Without_a_motd_the_welcome_has_none()
    {
        var h = new HubHarness();
        var alice = h.Connect();
        h.Line(alice, "alice");

        var welcome = Assert.IsType<WelcomeEvent>(Assert.Single(Outbox.Events(alice)));
        Assert.Null(welcome.Motd);
    }

    [Fact]
    public void Others_are_told_about_a_join_and_the_newcomer_is_not()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var carol = h.JoinJson("carol");
        Outbox.Frames(alice);

        var bob = h.JoinText("bob");

        Assert.Equal(["[14:30:25] *** bob joined the chat"], Outbox.Text(alice));
        var notice = Assert.Single(Outbox.Json(carol));
        Assert.Equal("system", notice.GetProperty("type").GetString());
        Assert.Equal("joined", notice.GetProperty("event").GetString());
        Assert.Equal("bob", notice.GetProperty("username").GetString());
        Assert.Equal("bob joined the chat", notice.GetProperty("message").GetString());
        Assert.Equal("2026-11-22T14:30:25.000Z", notice.GetProperty("timestamp").GetString());
        Assert.Empty(Outbox.Events(bob));
    }

    [Fact]
    public void The_welcome_is_the_first_thing_a_member_receives()
    {
        var h = new HubHarness();
        var alice = h.Connect();
        h.Line(alice, "alice");
        h.JoinText("bob");

        var events = Outbox.Events(alice);
        Assert.IsType<WelcomeEvent>(events[0]);
        Assert.IsType<SystemEvent>(events[1]);
    }

    [Theory]
    [InlineData("ALICE")]
    [InlineData("Alice")]
    [InlineData("alice")]
    public void A_name_taken_in_any_case_is_refused_in_text_mode_and_the_client_may_retry(string name)
    {
        var h = new HubHarness();
        h.JoinText("alice");
        var other = h.Connect();

        h.Line(other, name);

        var line = Assert.Single(Outbox.Text(other));
        Assert.StartsWith("ERROR ", line, StringComparison.Ordinal);
        Assert.Contains("taken", line, StringComparison.Ordinal);
        Assert.Equal(SessionState.Connecting, other.State);
        Assert.False(other.IsClosed);

        h.Line(other, "alice2");
        Assert.Equal(SessionState.Joined, other.State);
        Assert.Equal(["alice", "alice2"], h.Hub.Usernames);
    }

    [Fact]
    public void A_taken_name_is_username_taken_in_json()
    {
        var h = new HubHarness();
        h.JoinText("alice");
        var other = h.Connect(ProtocolKind.Json);

        h.Request(other, new ClientRequest("join") { Username = "ALICE" });

        var error = Assert.Single(Outbox.Json(other));
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal(ErrorCodes.UsernameTaken, error.GetProperty("code").GetString());
        Assert.Contains("taken", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_many_race_for_one_name_exactly_one_gets_it()
    {
        var h = new HubHarness();
        var sessions = Enumerable.Range(0, 8).Select(i => h.Connect(i % 2 == 0 ? ProtocolKind.Text : ProtocolKind.Json)).ToArray();
        await Concurrently.RunAsync(sessions, (s, i) =>
        {
            var name = i % 3 == 0 ? "ALICE" : "alice";
            if (s.Protocol == ProtocolKind.Text)
            {
                h.Line(s, name);
            }
            else
            {
                h.Request(s, new ClientRequest("join") { Username = name });
            }
        });

        var winner = Assert.Single(sessions, s => s.State == SessionState.Joined);
        Assert.Equal([winner.Username!], h.Hub.Usernames);
        Assert.All(sessions.Where(s => s != winner), s => Assert.Equal([ErrorCodes.UsernameTaken], Outbox.ErrorCodes(s)));
    }

    [Fact]
    public void A_name_is_free_again_once_its_owner_left()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        h.Hub.Disconnected(alice);

        var again = h.Connect();
        h.Line(again, "Alice");

        Assert.Equal(SessionState.Joined, again.State);
        Assert.Equal(["Alice"], h.Hub.Usernames);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bad name")]
    [InlineData("caf\u00e9")]
    [InlineData("semi;colon")]
    [InlineData("\u001b[31mred")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    public void Invalid_names_are_refused_and_the_client_may_retry(string name)
    {
        var h = new HubHarness();
        var text = h.Connect();
        var json = h.Connect(ProtocolKind.Json);

        h.Line(text, name);
        h.Request(json, new ClientRequest("join") { Username = name });

        var line = Assert.Single(Outbox.Text(text));
        Assert.StartsWith("ERROR Username", line, StringComparison.Ordinal);
        Assert.Equal([ErrorCodes.InvalidUsername], Outbox.ErrorCodes(json));
        Assert.Empty(h.Hub.Usernames);
        Assert.Equal(SessionState.Connecting, text.State);
        Assert.False(text.IsClosed);

        h.Line(text, "fine");
        Assert.Equal(SessionState.Joined, text.State);
    }

    [Fact]
    public void A_text_name_is_trimmed()
    {
        var h = new HubHarness();
        var alice = h.Connect();

        h.Line(alice, "  alice \t");

        Assert.Equal("alice", alice.Username);
    }

    [Fact]
    public void A_json_join_without_a_username_is_missing_field()
    {
        var h = new HubHarness();
        var s = h.Connect(ProtocolKind.Json);

        h.Request(s, new ClientRequest("join"));

        var error = Assert.IsType<ErrorEvent>(Assert.Single(Outbox.Events(s)));
        Assert.Equal(ErrorCodes.MissingField, error.Code);
        Assert.Contains("'username'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Joining_twice_is_already_joined()
    {
        var h = new HubHarness();
        var alice = h.JoinJson("alice");

        h.Request(alice, new ClientRequest("join") { Username = "other" });

        Assert.Equal([ErrorCodes.AlreadyJoined], Outbox.ErrorCodes(alice));
        Assert.Equal(["alice"], h.Hub.Usernames);
    }

    [Fact]
    public void Requests_before_joining_are_not_joined()
    {
        var h = new HubHarness();
        var s = h.Connect(ProtocolKind.Json);

        h.Request(s, new ClientRequest("message") { Content = "hi" });
        h.Request(s, new ClientRequest("private_message") { Target = "bob", Content = "hi" });
        h.Request(s, new ClientRequest("who"));
        h.Request(s, new ClientRequest("ping"));
        h.Request(s, new ClientRequest("command") { Line = "/who" });

        Assert.Equal(Enumerable.Repeat(ErrorCodes.NotJoined, 5), Outbox.ErrorCodes(s));
        Assert.False(s.IsClosed);
    }

    [Fact]
    public void Help_works_before_joining()
    {
        var h = new HubHarness();
        var s = h.Connect(ProtocolKind.Json);

        h.Request(s, new ClientRequest("help"));

        Assert.IsType<HelpEvent>(Assert.Single(Outbox.Events(s)));
    }

    [Fact]
    public void A_silent_text_client_is_greeted_until_it_joins()
    {
        var h = new HubHarness();
        var s = h.Connect();

        h.Hub.Greet(s);
        Assert.Equal(["Welcome to Parley! Please enter a username:"], Outbox.Text(s));

        h.Line(s, "alice");
        Outbox.Frames(s);
        h.Hub.Greet(s);
        Assert.Empty(Outbox.Frames(s));
    }

    [Fact]
    public void Sessions_are_listed_for_operators()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var anonymous = h.Connect();

        var infos = h.Hub.Sessions;

        Assert.Equal(2, h.Hub.ConnectionCount);
        Assert.Equal([alice.Id, anonymous.Id], infos.Select(i => i.Id));
        Assert.Equal("alice", infos[0].Username);
        Assert.Equal(SessionState.Joined, infos[0].State);
        Assert.Null(infos[1].Username);
        Assert.Equal(HubHarness.Start, infos[1].ConnectedAt);
    }
}
