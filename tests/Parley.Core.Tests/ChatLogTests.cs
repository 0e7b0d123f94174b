using Parley.Protocol;

namespace Parley.Core.Tests;

public sealed class ChatLogTests
{
    [Fact]
    public void Joins_public_messages_announcements_and_leaves_are_logged_with_the_clock_time()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var bob = h.JoinJson("bob");
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.Line(alice, "hello \u001b[31mbob");
        h.Request(bob, new ClientRequest("message") { Content = "hi alice", Color = "red" });
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.Hub.Announce("restart soon");
        h.Line(alice, "/quit");
        h.Hub.Disconnected(alice);

        Assert.Equal(
        [
            (HubHarness.Start, "*** alice joined the chat"),
            (HubHarness.Start.AddSeconds(1), "*** bob joined the chat"),
            (HubHarness.Start.AddSeconds(2), "alice: hello bob"),
            (HubHarness.Start.AddSeconds(2), "bob: hi alice"),
            (HubHarness.Start.AddSeconds(3), "[SERVER] restart soon"),
            (HubHarness.Start.AddSeconds(3), "*** alice left the chat"),
        ],
            h.Log.Entries);
    }

    [Fact]
    public void Private_messages_are_not_logged_by_default()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        h.JoinText("bob");

        h.Line(alice, "/msg bob secret");

        Assert.DoesNotContain(h.Log.Lines, l => l.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public void Private_messages_are_logged_when_LogPrivate_is_on()
    {
        var h = new HubHarness(o => o.LogPrivate = true);
        var alice = h.JoinText("alice");
        h.JoinText("Bob");

        h.Line(alice, "/msg bob /color red secret");

        Assert.Equal("[PM] alice -> Bob: secret", h.Log.Lines[^1]);
    }

    [Fact]
    public void Refused_and_failed_input_is_not_logged()
    {
        var h = new HubHarness();
        var alice = h.JoinText("alice");
        var before = h.Log.Lines.Count;

        h.Line(alice, "/dance");
        h.Line(alice, "/color purple x");
        h.Line(alice, "/msg zed hi");
        h.Line(alice, "   ");
        h.Line(alice, "/who");

        Assert.Equal(before, h.Log.Lines.Count);
    }
}
