using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core.Tests;

/// <summary>From <see cref="HubOptions.LargeRoom"/> members on: summarised presence and paged member lists.</summary>
public sealed class LargeRoomTests
{
    private static HubHarness Large(int threshold = 3) => new(o =>
    {
        o.LargeRoom = threshold;
        o.PresenceInterval = TimeSpan.FromSeconds(5);
    });

    [Fact]
    public void Below_the_threshold_every_join_is_told_one_by_one()
    {
        var h = Large();
        var alice = h.JoinText("alice");
        h.JoinText("bob");

        Assert.Equal("bob", Assert.Single(Outbox.Events<SystemEvent>(alice)).Username);
    }

    [Fact]
    public void In_a_large_room_joins_and_leaves_are_summarised_once_per_interval()
    {
        var h = Large();
        var alice = h.JoinText("alice");
        var bob = h.JoinJson("bob");
        h.JoinText("carol");
        HubHarness.DrainAll(alice, bob);

        var dave = h.JoinText("dave");
        h.JoinText("erin");
        h.Hub.Disconnected(dave);

        Assert.Empty(Outbox.Events(alice));
        h.Time.Advance(TimeSpan.FromSeconds(5));

        var summary = Assert.Single(Outbox.Events(alice));
        Assert.Equal(new PresenceEvent(Room.General, 2, 1, 4, "+2 joined, 1 left in the last 5 s (4 here)", HubHarness.Start.AddSeconds(5)), summary);
        Assert.Equal("[14:30:30] *** +2 joined, 1 left in the last 5 s (4 here)", Text(summary));
        var json = Assert.Single(Outbox.Json(bob));
        Assert.Equal("presence", json.GetProperty("type").GetString());
        Assert.Equal(2, json.GetProperty("joined").GetInt32());
        Assert.Equal(1, json.GetProperty("left").GetInt32());
        Assert.Equal(4, json.GetProperty("online").GetInt32());
        Assert.Equal("#general", json.GetProperty("room").GetString());

        // Nothing happened since: no empty summary.
        h.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(Outbox.Events(alice));
    }

    [Fact]
    public void Chat_log_still_records_every_join_in_a_large_room()
    {
        var h = Large(threshold: 1);
        h.JoinText("alice");
        h.JoinText("bob");

        Assert.Contains(h.Log.Lines, l => l.EndsWith("*** bob joined the chat", StringComparison.Ordinal));
    }

    [Fact]
    public void The_welcome_of_a_large_room_lists_the_first_page_and_the_total()
    {
        var h = Large();
        foreach (var name in new[] { "erin", "dave", "carol", "bob" })
        {
            h.JoinText(name);
        }

        var alice = h.Connect();
        h.Line(alice, "alice");
        Assert.Equal(
            ["Welcome to Parley, alice! Type /help for commands.", "Users online (5): alice, bob, carol, and 2 more (/who 2)"],
            Outbox.Text(alice));

        var json = h.Connect(ProtocolKind.Json);
        h.Request(json, new ClientRequest("join") { Username = "Aaron" });
        var welcome = Outbox.Json(json)[0];
        Assert.Equal(["Aaron", "alice", "bob"], welcome.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(6, welcome.GetProperty("user_count").GetInt32());
    }

    [Fact]
    public void Who_pages_a_large_room_in_sorted_order()
    {
        var h = Large();
        var names = new[] { "g", "F", "e", "D", "c", "B", "a" };
        var sessions = names.Select(h.JoinText).ToArray();
        var a = sessions[^1];

        h.Line(a, "/who");
        Assert.Equal(["Users (page 1 of 3, 7 in all): a, B, c -- /who 2 for more"], Outbox.Text(a));
        h.Line(a, "/who 3");
        Assert.Equal(["Users (page 3 of 3, 7 in all): g"], Outbox.Text(a));
        h.Line(a, "/who 99");
        Assert.Equal(["Users (page 3 of 3, 7 in all): g"], Outbox.Text(a));

        var json = h.JoinJson("h");
        h.Request(json, new ClientRequest("who") { Page = 2 });
        var page = Assert.Single(Outbox.Json(json));
        Assert.Equal(["D", "e", "F"], page.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(2, page.GetProperty("page").GetInt32());
        Assert.Equal(3, page.GetProperty("pages").GetInt32());
        Assert.Equal(8, page.GetProperty("user_count").GetInt32());
    }

    [Fact]
    public void A_small_room_answers_who_in_full_without_page_fields()
    {
        var h = Large(threshold: 10);
        var alice = h.JoinJson("alice");
        h.JoinText("bob");
        Outbox.Frames(alice);

        h.Request(alice, new ClientRequest("who") { Page = 2 });

        var users = Assert.Single(Outbox.Json(alice));
        Assert.Equal(["alice", "bob"], users.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        Assert.False(users.TryGetProperty("page", out _));
        Assert.False(users.TryGetProperty("user_count", out _));
    }

    [Fact]
    public void Names_pages_another_large_room_and_rejects_a_bad_page()
    {
        var h = Large(threshold: 2);
        var people = new[] { "c", "b", "a" }.Select(h.JoinText).ToArray();
        foreach (var p in people)
        {
            h.Line(p, "/join #big");
        }

        var outsider = h.JoinText("z");
        HubHarness.DrainAll(people);
        Outbox.Frames(outsider);

        h.Line(outsider, "/names #big 2");
        Assert.Equal(["Users in #big (page 2 of 2, 3 in all): c"], Outbox.Text(outsider));
        h.Line(outsider, "/names #big zero");
        Assert.Equal([ErrorCodes.Usage], Outbox.ErrorCodes(outsider));
    }

    [Fact]
    public void A_room_join_in_a_large_room_is_summarised_and_lists_a_page()
    {
        var h = Large(threshold: 2);
        var people = new[] { "c", "b", "a" }.Select(h.JoinText).ToArray();
        h.Line(people[0], "/join #big");
        h.Line(people[1], "/join #big");
        HubHarness.DrainAll(people);

        h.Line(people[2], "/join #big");

        Assert.Empty(Outbox.Events(people[0]));
        var change = Assert.IsType<RoomEvent>(Outbox.Events(people[2])[0]);
        Assert.Equal(["a", "b"], change.Users);
        Assert.Equal(3, change.UserCount);

        h.Time.Advance(TimeSpan.FromSeconds(5));
        var summary = Assert.Single(Outbox.Events<PresenceEvent>(people[0]), e => e.Room == "#big");
        Assert.Equal(1, summary.Joined);
        Assert.Equal(3, summary.Online);
    }

    [Fact]
    public void Thousands_of_joins_keep_the_member_list_sorted_and_complete()
    {
        var h = Large(threshold: 100);
        var random = new Random(7);
        var names = Enumerable.Range(0, 2000).Select(i => $"u{random.Next():x}{i}").ToArray();
        var sessions = names.Select(n => { var s = h.Connect(); h.Line(s, n); return s; }).ToArray();
        foreach (var s in sessions.Where((_, i) => i % 3 == 0))
        {
            h.Hub.Disconnected(s);
        }

        var expected = names.Where((_, i) => i % 3 != 0).Order(StringComparer.OrdinalIgnoreCase).ToArray();
        Assert.Equal(expected, h.Hub.Usernames);
        Assert.Equal(expected.Length, h.Hub.UserCount);
    }

    [Fact]
    public void Each_welcome_lists_the_first_page_as_it_is_at_that_join()
    {
        // The first page is kept between joins; a join or a leave on it must show in the next welcome.
        var h = Large(threshold: 3);
        var random = new Random(11);
        var present = new List<(string Name, Session Session)>();
        for (var i = 0; i < 400; i++)
        {
            if (present.Count > 4 && random.Next(3) == 0)
            {
                var gone = present[random.Next(present.Count)];
                h.Hub.Disconnected(gone.Session);
                present.Remove(gone);
                continue;
            }

            var name = $"n{random.Next(1000):000}x{i}";
            var session = h.Connect(ProtocolKind.Json);
            h.Request(session, new ClientRequest("join") { Username = name });
            present.Add((name, session));
            var welcome = Outbox.Json(session)[0];
            var firstPage = present.Select(p => p.Name).Order(StringComparer.OrdinalIgnoreCase).Take(3);
            Assert.Equal(firstPage, welcome.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        }
    }

    private static string Text(ServerEvent e) =>
        System.Text.Encoding.UTF8.GetString(new OutboundFrame(e, TimeZoneInfo.Utc).GetBytes(ProtocolKind.Text)).TrimEnd('\n');
}
