using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core.Tests;

public sealed class FloodPenaltyTests
{
    [Fact]
    public void Flooding_escalates_from_warning_to_mute_to_disconnect()
    {
        var h = new HubHarness(o =>
        {
            o.RateLimit = 4;
            o.Abuse.FloodStrikes = 10;
            o.Abuse.FloodMute = TimeSpan.FromSeconds(30);
        });
        var alice = h.JoinText("alice");
        var bob = h.JoinText("bob");

        // 8 pass (the burst), 9 are dropped: a warning, no mute yet.
        for (var i = 0; i < 17; i++)
        {
            h.Line(alice, $"m{i}");
        }

        Assert.Equal([ErrorCodes.RateLimited], Outbox.ErrorCodes(alice));

        // The tenth dropped message earns the mute.
        h.Line(alice, "strike ten");
        var mute = Assert.Single(Outbox.Events<ErrorEvent>(alice));
        Assert.Equal(ErrorCodes.Muted, mute.Code);
        Assert.Contains("muted for 30 seconds", mute.Message, StringComparison.Ordinal);

        // Muted: even with tokens back, nothing gets through.
        h.Time.Advance(TimeSpan.FromSeconds(10));
        Outbox.Frames(bob);
        h.Line(alice, "while muted");
        Assert.Empty(Outbox.Events<ChatEvent>(bob));
        Assert.Equal([ErrorCodes.Muted], Outbox.ErrorCodes(alice));

        // After the mute, normal traffic flows again.
        h.Time.Advance(TimeSpan.FromSeconds(21));
        h.Line(alice, "sorry");
        Assert.Equal(["sorry"], Outbox.Events<ChatEvent>(bob).Select(e => e.Content));

        // Ten more strikes before they are forgiven: disconnected with a reason.
        for (var i = 0; i < 30 && !alice.IsClosed; i++)
        {
            h.Line(alice, $"again {i}");
        }

        Assert.True(alice.IsClosed);
        Assert.Equal("flooding", alice.CloseReason);
        Assert.Contains(Outbox.Events<GoodbyeEvent>(alice), g => g.Message.Contains("flooding", StringComparison.Ordinal));
    }

    [Fact]
    public void Strikes_and_mutes_are_forgiven_after_a_quiet_period()
    {
        var h = new HubHarness(o =>
        {
            o.RateLimit = 4;
            o.Abuse.FloodStrikes = 5;
            o.Abuse.FloodMute = TimeSpan.FromSeconds(10);
            o.Abuse.FloodForgive = TimeSpan.FromMinutes(1);
        });
        var alice = h.JoinText("alice");
        for (var i = 0; i < 13; i++)
        {
            h.Line(alice, "x"); // 8 pass, 5 strikes: muted
        }

        Assert.Contains(ErrorCodes.Muted, Outbox.ErrorCodes(alice));
        h.Time.Advance(TimeSpan.FromMinutes(2));
        for (var i = 0; i < 13; i++)
        {
            h.Line(alice, "y"); // forgiven: a first mute again, not a disconnect
        }

        Assert.False(alice.IsClosed);
        Assert.Contains(ErrorCodes.Muted, Outbox.ErrorCodes(alice));
    }

    [Fact]
    public void Reconnecting_from_the_same_address_keeps_the_mute_and_shares_the_address_rate()
    {
        var h = new HubHarness(o =>
        {
            o.RateLimit = 100;
            o.Abuse.IpRateLimit = 2; // burst 4 for the whole address
            o.Abuse.FloodStrikes = 3;
        });
        var watcher = h.JoinText("watcher");
        var first = Join(h, "first", "203.0.113.7:40001");
        var second = Join(h, "second", "203.0.113.7:40002");

        h.Line(first, "a");
        h.Line(first, "b");
        h.Line(second, "c");
        h.Line(second, "d");
        h.Line(second, "e"); // fifth from the address: over its rate
        Assert.Equal(["a", "b", "c", "d"], Outbox.Events<ChatEvent>(watcher).Select(e => e.Content));
        Assert.Contains("Your address is sending too fast", Assert.Single(Outbox.Events<ErrorEvent>(second)).Message, StringComparison.Ordinal);

        h.Line(second, "f");
        h.Line(second, "g"); // third strike for the address: muted
        Assert.Contains(ErrorCodes.Muted, Outbox.ErrorCodes(second));

        // A new connection from the same address is still muted, though its own bucket is full.
        h.Hub.Disconnected(second);
        var third = Join(h, "third", "203.0.113.7:40003");
        h.Line(third, "fresh start?");
        Assert.Equal([ErrorCodes.Muted], Outbox.ErrorCodes(third));

        // Another address is not affected.
        var other = Join(h, "other", "198.51.100.1:5000");
        h.Line(other, "hello");
        Assert.Contains("hello", Outbox.Events<ChatEvent>(watcher).Select(e => e.Content));
    }

    [Fact]
    public void Loopback_is_exempt_from_the_address_rate_unless_configured_otherwise()
    {
        foreach (var exempt in new[] { true, false })
        {
            var h = new HubHarness(o =>
            {
                o.Abuse.IpRateLimit = 1; // burst 2
                o.Abuse.ExemptLoopback = exempt;
            });
            var a = Join(h, "a", "127.0.0.1:1000");
            var b = Join(h, "b", "127.0.0.1:1001");
            h.Line(a, "1");
            h.Line(a, "2");
            h.Line(b, "3");
            Assert.Equal(exempt ? [] : [ErrorCodes.RateLimited], Outbox.ErrorCodes(b));
        }
    }

    private static Session Join(HubHarness h, string name, string remote)
    {
        var session = h.Hub.Connect("test", remote);
        h.Hub.HandleLine(session, name);
        Assert.Equal(SessionState.Joined, session.State);
        Outbox.Frames(session);
        return session;
    }
}
