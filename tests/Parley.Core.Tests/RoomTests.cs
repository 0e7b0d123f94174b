using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core.Tests;

public sealed class RoomTests
{
    [Fact]
    public void Messages_go_to_the_current_room_and_text_lines_outside_general_carry_the_room()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        var carol = h.JoinJson("carol");

        h.Line(alice, "/join #dev");
        h.Line(carol, "/join #dev");
        HubHarness.DrainAll(alice, bob, carol);
        h.Line(alice, "in dev");

        Assert.Equal(["[14:30:25] #dev alice: in dev"], Outbox.Text(alice));
        Assert.Empty(Outbox.Text(bob));
        var json = Assert.Single(Outbox.Json(carol));
        Assert.Equal("#dev", json.GetProperty("room").GetString());
        Assert.Equal("in dev", json.GetProperty("content").GetString());

        // #general keeps the seed format; a JSON client picks the room per message.
        h.Request(carol, new ClientRequest("message") { Content = "to general", Room = "#general" });
        Assert.Equal(["[14:30:25] carol: to general"], Outbox.Text(bob));
        Assert.Equal(["[14:30:25] carol: to general"], Outbox.Text(alice));
        Assert.Equal("#general", Assert.Single(Outbox.Json(carol)).GetProperty("room").GetString());
    }

    [Fact]
    public void Join_and_part_notices_reach_the_room_and_parting_returns_to_the_previous_room()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        h.Line(alice, "/join #dev");
        HubHarness.DrainAll(alice, bob);

        h.Line(bob, "/join #dev");
        Assert.Equal(["[14:30:25] #dev *** bob joined #dev"], Outbox.Text(alice));
        Assert.Equal(["*** You joined #dev", "Users in #dev: alice, bob"], Outbox.Text(bob));

        h.Line(bob, "/part");
        Assert.Equal(["[14:30:25] #dev *** bob left #dev"], Outbox.Text(alice));
        Assert.Equal(["*** You left #dev; now talking in #general", "Users in #general: alice, bob"], Outbox.Text(bob));
        h.Line(bob, "back in general");
        Assert.Equal(["[14:30:25] bob: back in general"], Outbox.Text(alice));

        h.Line(bob, "/part #general");
        Assert.Equal([ErrorCodes.NotPermitted], Outbox.ErrorCodes(bob));
    }

    [Fact]
    public void Parting_returns_to_the_room_joined_last_among_those_still_joined_and_names_match_in_any_case()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        h.Line(alice, "/join #a");
        h.Line(alice, "/join #b");
        h.Line(alice, "/join #c");
        h.Line(bob, "/join #a");
        HubHarness.DrainAll(alice, bob);

        h.Line(alice, "/part #B");
        Assert.Equal("*** You left #b; now talking in #c", Outbox.Text(alice)[0]);
        h.Line(alice, "/part");
        Assert.Equal("*** You left #c; now talking in #a", Outbox.Text(alice)[0]);
        h.Line(alice, "/join #general");
        Assert.Equal("*** Now talking in #general", Outbox.Text(alice)[0]);
        h.Line(alice, "/part #a");
        Assert.Equal("*** You left #a; now talking in #general", Outbox.Text(alice)[0]);
        Assert.Equal(["[14:30:25] #a *** alice left #a"], Outbox.Text(bob));
        h.Line(alice, "/part #a");
        Assert.Equal([ErrorCodes.NotInRoom], Outbox.ErrorCodes(alice));

        // In one room again, then in two: joining and parting still tell who is where.
        h.Line(alice, "/join #a");
        Assert.Equal("*** You joined #a", Outbox.Text(alice)[0]);
        Assert.Equal(["[14:30:25] #a *** alice joined #a"], Outbox.Text(bob));
        h.Line(alice, "/join #a");
        Assert.Equal("*** Now talking in #a", Outbox.Text(alice)[0]);
    }

    [Fact]
    public void Parted_and_kicked_room_events_name_the_room_left_in_from_so_clients_can_keep_their_room_list()
    {
        var h = new HubHarness();
        var alice = h.JoinJson("alice");
        var bob = h.JoinJson("bob");
        h.Request(alice, new ClientRequest("join_room") { Room = "#dev" });
        h.Request(bob, new ClientRequest("join_room") { Room = "#dev" });
        h.Request(bob, new ClientRequest("join_room") { Room = "#ops" });
        HubHarness.DrainAll(alice, bob);

        h.Request(bob, new ClientRequest("part_room") { Room = "#ops" });
        var parted = Assert.Single(Outbox.Json(bob), e => e.GetProperty("type").GetString() == "room");
        Assert.Equal(("parted", "#dev", "#ops"), (parted.GetProperty("event").GetString(), parted.GetProperty("room").GetString(), parted.GetProperty("from").GetString()));

        h.Request(bob, new ClientRequest("join_room") { Room = "#dev" });
        var switched = Assert.Single(Outbox.Json(bob), e => e.GetProperty("type").GetString() == "room");
        Assert.False(switched.TryGetProperty("from", out _)); // only leaving a room names one

        h.Line(alice, "/kick bob");
        var kicked = Assert.Single(Outbox.Json(bob), e => e.GetProperty("type").GetString() == "room");
        Assert.Equal(("kicked", "#general", "#dev"), (kicked.GetProperty("event").GetString(), kicked.GetProperty("room").GetString(), kicked.GetProperty("from").GetString()));
    }

    [Fact]
    public void Rooms_names_and_topic_describe_the_rooms()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        h.Line(alice, "/join #dev");
        h.Line(alice, "/topic Shipping rooms today");
        h.Line(bob, "/join #dev");
        HubHarness.DrainAll(alice, bob);

        h.Line(bob, "/rooms");
        Assert.Equal(["Rooms:", "  #dev (2 members) Shipping rooms today", "  #general (2 members)"], Outbox.Text(bob));
        h.Line(bob, "/names #general");
        Assert.Equal(["Users in #general: alice, bob"], Outbox.Text(bob));
        h.Line(bob, "/topic");
        Assert.Equal(["*** Topic of #dev: Shipping rooms today"], Outbox.Text(bob));
    }

    [Fact]
    public void Only_the_operator_sets_the_topic_and_kicks_from_the_room()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        var carol = h.JoinText("carol");
        h.Line(alice, "/join #dev");
        h.Line(bob, "/join #dev");
        h.Line(carol, "/join #dev");
        HubHarness.DrainAll(alice, bob, carol);

        h.Line(bob, "/topic mine now");
        h.Line(bob, "/kick carol");
        Assert.Equal([ErrorCodes.NotPermitted, ErrorCodes.NotPermitted], Outbox.ErrorCodes(bob));
        Assert.Empty(Outbox.Text(carol));

        h.Line(alice, "/kick carol spamming");
        Assert.Equal(["[14:30:25] #dev *** carol was kicked from #dev by alice (spamming)"], Outbox.Text(alice));
        Assert.Equal(["[14:30:25] #dev *** carol was kicked from #dev by alice (spamming)"], Outbox.Text(bob));
        Assert.Contains("*** You were kicked from #dev; now talking in #general", Outbox.Text(carol));
        Assert.Equal(SessionState.Joined, carol.State); // out of the room, not off the server
        h.Line(alice, "/names");
        Assert.Equal(["Users in #dev: alice, bob"], Outbox.Text(alice));
    }

    [Fact]
    public void A_private_room_needs_an_invitation_and_stays_out_of_rooms_and_search_for_others()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        var eve = h.JoinText("eve");
        h.Line(alice, "/join #secret private");
        h.Line(alice, "the plan is ready");
        HubHarness.DrainAll(alice, bob, eve);

        h.Line(bob, "/join #secret");
        Assert.Equal([ErrorCodes.NotInvited], Outbox.ErrorCodes(bob));
        h.Line(eve, "/rooms");
        Assert.DoesNotContain(Outbox.Text(eve), l => l.Contains("#secret", StringComparison.Ordinal));
        h.Line(eve, "/search plan");
        Assert.Equal(["*** 0 results for \"plan\""], Outbox.Text(eve));

        h.Line(alice, "/invite bob");
        Assert.Equal(["*** alice invites you to #secret: /join #secret"], Outbox.Text(bob));
        h.Line(bob, "/join #secret");
        var joined = Outbox.Text(bob);
        Assert.Equal("*** You joined #secret", joined[0]);
        Assert.Matches(@"^\[2026-11-22 14:30:25\] #secret alice: the plan is ready$", joined[2]);
        h.Line(bob, "/search PLAN");
        var found = Outbox.Text(bob);
        Assert.Equal(2, found.Count);
        Assert.EndsWith("#secret alice: the plan is ready", found[0]);
    }

    [Fact]
    public void Joining_a_room_replays_its_last_messages_in_order_marked_as_history()
    {
        var h = new HubHarness(o => o.HistoryReplay = 3);
        var alice = h.JoinJson("alice");
        for (var i = 1; i <= 5; i++)
        {
            h.Request(alice, new ClientRequest("message") { Content = $"m{i}" });
        }

        var bob = h.Connect(ProtocolKind.Json);
        h.Request(bob, new ClientRequest("join") { Username = "bob" });
        var events = Outbox.Json(bob);
        Assert.Equal("welcome", events[0].GetProperty("type").GetString());
        var history = events.Skip(1).Take(3).ToArray();
        Assert.Equal(["m3", "m4", "m5"], history.Select(e => e.GetProperty("content").GetString()));
        Assert.All(history, e => Assert.True(e.GetProperty("history").GetBoolean()));
        var ids = history.Select(e => e.GetProperty("id").GetInt64()).ToArray();
        Assert.Equal(ids.Order(), ids);
        var end = events[4];
        Assert.Equal("history", end.GetProperty("type").GetString());
        Assert.Equal(ids[0], end.GetProperty("oldest").GetInt64());
        Assert.True(end.GetProperty("more").GetBoolean());

        // Paging back from the oldest id gives what came before.
        h.Request(bob, new ClientRequest("history") { Before = ids[0], Limit = 10 });
        var older = Outbox.Json(bob);
        Assert.Equal(["m1", "m2"], older.Where(e => e.GetProperty("type").GetString() == "message").Select(e => e.GetProperty("content").GetString()));
        Assert.False(older[^1].GetProperty("more").GetBoolean());
    }

    [Fact]
    public void A_history_page_of_long_messages_stays_within_the_send_queue_and_pages_back_to_the_rest()
    {
        var h = new HubHarness(o => o.HistoryReplay = 0);
        var alice = h.JoinJson("alice");
        var text = new string('x', 8000);
        for (var i = 0; i < 300; i++)
        {
            h.Request(alice, new ClientRequest("message") { Content = $"{i:D3}{text}" });
            Outbox.Frames(alice);
        }

        var seen = new List<string>();
        long? before = null;
        while (true)
        {
            h.Request(alice, new ClientRequest("history") { Before = before, Limit = 500 });
            var frames = Outbox.Frames(alice);
            Assert.False(alice.IsClosed);
            Assert.True(frames.Sum(f => f.GetBytes(ProtocolKind.Json).Length) <= h.Options.SendQueueBytes / 4);
            var end = Assert.IsType<HistoryEndEvent>(frames[^1].Event);
            seen.InsertRange(0, frames.Select(f => f.Event).OfType<ChatEvent>().Select(e => e.Content[..3]));
            if (!end.More)
            {
                break;
            }

            before = end.Oldest;
        }

        Assert.Equal(Enumerable.Range(0, 300).Select(i => i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)), seen);
    }

    [Fact]
    public void History_command_in_text_mode_dates_each_line_and_says_when_there_is_more()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        h.Line(alice, "one");
        h.Line(alice, "two");
        h.Line(alice, "three");
        Outbox.Frames(alice);

        h.Line(alice, "/history 2");
        Assert.Equal(
            ["[2026-11-22 14:30:25] #general alice: two", "[2026-11-22 14:30:25] #general alice: three", "*** End of history of #general (2 messages; /history N for more)"],
            Outbox.Text(alice));
        h.Line(alice, "/history x");
        Assert.Equal([ErrorCodes.Usage], Outbox.ErrorCodes(alice));
    }

    [Fact]
    public void Search_finds_all_words_newest_first_with_room_and_sender()
    {
        var h = new HubHarness();
        var alice = h.JoinJson("alice");
        var bob = h.JoinText("bob");
        h.Request(alice, new ClientRequest("message") { Content = "the build is green" });
        h.Line(bob, "/join #ops");
        h.Line(bob, "build broke again");
        h.Line(bob, "green build, finally");
        h.Line(bob, "unrelated");
        HubHarness.DrainAll(alice, bob);

        h.Request(alice, new ClientRequest("search") { Query = "build" });
        var results = Outbox.Json(alice);
        Assert.Equal(
            [("#ops", "bob", "green build, finally"), ("#ops", "bob", "build broke again"), ("#general", "alice", "the build is green")],
            results.SkipLast(1).Select(e => (e.GetProperty("room").GetString(), e.GetProperty("username").GetString(), e.GetProperty("content").GetString())));
        Assert.Equal(3, results[^1].GetProperty("count").GetInt32());

        h.Line(bob, "/search green build");
        var text = Outbox.Text(bob);
        Assert.Equal(3, text.Count);
        Assert.Equal("*** 2 results for \"green build\"", text[^1]);
    }

    [Fact]
    public void Retention_cleanup_runs_hourly_and_deletes_what_is_too_old()
    {
        var h = new HubHarness(o => o.HistoryDays = 1);
        var alice = h.JoinText("alice");
        h.Line(alice, "old news");
        h.Time.Advance(TimeSpan.FromDays(2));
        h.Line(alice, "fresh news");

        // The hourly timer has fired while the clock moved on: only the fresh message is left.
        h.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(["fresh news"], h.Hub.Store.History("#general", null, 10).Select(m => m.Content));
        Assert.Equal(0, h.Hub.RunCleanup());
    }
}
