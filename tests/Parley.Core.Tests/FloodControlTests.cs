using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core.Tests;

// Rates and clock steps are powers of two (4/s, 62.5 ms, 250 ms) so the bucket's arithmetic is
// exact and the expected counts below follow from the rules, not from rounding.
public sealed class FloodControlTests
{
    [Fact]
    public void A_burst_of_twice_the_rate_passes_and_the_excess_is_dropped_with_one_notice()
    {
        var h = new HubHarness(o => o.RateLimit = 4);
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        for (var i = 0; i < 25; i++)
        {
            h.Line(alice, $"m{i}");
        }

        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"m{i}"), Outbox.Events<ChatEvent>(bob).Select(e => e.Content));
        var events = Outbox.Events(alice);
        Assert.Equal(8, events.OfType<ChatEvent>().Count());
        var notice = Assert.Single(events.OfType<ErrorEvent>());
        Assert.Equal(ErrorCodes.RateLimited, notice.Code);
        Assert.Contains("4 messages per second", notice.Message, StringComparison.Ordinal);
        Assert.Equal(8, h.Hub.MessagesTotal);
        Assert.False(alice.IsClosed);
    }

    [Fact]
    public void Tokens_refill_at_the_rate()
    {
        var h = new HubHarness(o => o.RateLimit = 4);
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        for (var i = 0; i < 8; i++)
        {
            h.Line(alice, "burst");
        }

        HubHarness.DrainAll(alice, bob);

        // 250 ms is one token at 4 per second.
        h.Time.Advance(TimeSpan.FromMilliseconds(250));
        h.Line(alice, "one");
        h.Line(alice, "too many");
        Assert.Equal(["one"], Outbox.Events<ChatEvent>(bob).Select(e => e.Content));

        h.Time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 5; i++)
        {
            h.Line(alice, $"r{i}");
        }

        Assert.Equal(["r0", "r1", "r2", "r3"], Outbox.Events<ChatEvent>(bob).Select(e => e.Content));
    }

    [Fact]
    public void Idle_time_never_saves_up_more_than_the_burst()
    {
        var h = new HubHarness(o => o.RateLimit = 4);
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        h.Time.Advance(TimeSpan.FromHours(1));
        for (var i = 0; i < 30; i++)
        {
            h.Line(alice, "x");
        }

        Assert.Equal(8, Outbox.Events<ChatEvent>(bob).Count);
    }

    [Fact]
    public void The_notice_comes_at_most_once_a_second_however_long_the_flood()
    {
        var h = new HubHarness(o => o.RateLimit = 4);
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        // 16 messages a second (one every 62.5 ms, a quarter token each) for 3 seconds. The burst of
        // 8 lasts until message 10; from then on every 4th message gets through. The first drop is
        // announced, then the first drop once a full second has passed.
        var noticesAt = new List<double>();
        for (var tick = 0; tick < 48; tick++)
        {
            h.Line(alice, "spam");
            if (Outbox.ErrorCodes(alice).Contains(ErrorCodes.RateLimited))
            {
                noticesAt.Add(tick * 62.5);
            }

            h.Time.Advance(TimeSpan.FromMilliseconds(62.5));
        }

        Assert.Equal([625, 1625, 2625], noticesAt);
        Assert.Equal(10 + 9, Outbox.Events<ChatEvent>(bob).Count);
    }

    [Fact]
    public void Every_command_counts_against_the_same_bucket()
    {
        var h = new HubHarness(o => o.RateLimit = 1);
        var alice = h.JoinText("alice");
        var bob = h.JoinJson("bob");
        HubHarness.DrainAll(alice, bob);

        h.Line(alice, "one");
        h.Line(alice, "/msg bob two");
        h.Line(alice, "three");

        Assert.Equal([ErrorCodes.RateLimited], Outbox.ErrorCodes(alice));
        Assert.Equal(2, Outbox.Events(bob).Count);
    }

    [Fact]
    public void A_rate_below_half_a_message_a_second_still_lets_messages_through()
    {
        // --rate-limit 0.25 means one message every 4 s; twice that is a burst of half a message.
        var h = new HubHarness(o => o.RateLimit = 0.25);
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        h.Line(alice, "first");
        h.Line(alice, "dropped");
        h.Time.Advance(TimeSpan.FromSeconds(4));
        h.Line(alice, "second");

        Assert.Equal(["first", "second"], Outbox.Events<ChatEvent>(bob).Select(e => e.Content));
        Assert.Equal([ErrorCodes.RateLimited], Outbox.ErrorCodes(alice));
    }

    [Fact]
    public void A_rate_of_zero_turns_flood_control_off()
    {
        var h = new HubHarness(o => o.RateLimit = 0);
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        for (var i = 0; i < 1000; i++)
        {
            h.Line(alice, "x");
        }

        Assert.Equal(1000, Outbox.Events<ChatEvent>(bob).Count);
        Assert.DoesNotContain(ErrorCodes.RateLimited, Outbox.ErrorCodes(alice));
    }

    [Fact]
    public void Each_user_has_a_bucket_of_their_own()
    {
        var h = new HubHarness(o => o.RateLimit = 1);
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");
        HubHarness.DrainAll(alice, bob);

        for (var i = 0; i < 5; i++)
        {
            h.Line(alice, "a");
            h.Line(bob, "b");
        }

        var seen = Outbox.Events<ChatEvent>(bob).Select(e => e.Username).ToList();
        Assert.Equal(["alice", "bob", "alice", "bob"], seen);
    }
}
