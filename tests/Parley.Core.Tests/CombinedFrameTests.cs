using Parley.Protocol;
using Parley.Protocol.Events;

namespace Parley.Core.Tests;

/// <summary>
/// A commit's consecutive messages to one room reach each member as one combined frame; anything else in
/// between (a private message, a failed commit, another room) ends the run, and every member still reads
/// exactly the lines it would have read one frame at a time, in the same order.
/// </summary>
public sealed class CombinedFrameTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Consecutive_room_messages_of_one_commit_share_a_frame_and_a_private_message_ends_the_run()
    {
        var store = new GatedStore();
        var h = new HubHarness(store: store);
        var alice = h.JoinText("alice");
        var bob = h.JoinJson("bob");
        var carol = h.JoinText("carol");
        HubHarness.DrainAll(alice, bob);

        // The first commit is held, so everything sent meanwhile is stored (and delivered) as the next one.
        store.HoldAppends();
        h.Line(alice, "m1");
        await store.AppendEnteredAsync();
        h.Line(alice, "a");
        h.Request(bob, new ClientRequest("message") { Content = "b" });
        h.Line(alice, "/msg bob psst");
        h.Request(bob, new ClientRequest("message") { Content = "c" });
        store.ReleaseAppends();

        var carolFrames = await FramesUntilAsync(carol, "c");
        Assert.Equal([["m1"], ["a", "b"], ["c"]], carolFrames.Select(Contents));
        Assert.Equal(
            ["alice: m1", "alice: a", "bob: b", "bob: c"],
            carolFrames.SelectMany(f => Lines(f, ProtocolKind.Text)).Select(line => line[(line.IndexOf(']') + 2)..]));

        var bobFrames = await FramesUntilAsync(bob, "c");
        Assert.Equal(
            ["m1", "a", "b", "psst", "c"],
            bobFrames.SelectMany(f => f.Parts ?? [f]).Select(f => f.Event switch { ChatEvent e => e.Content, PrivateMessageEvent p => p.Content, var other => other.ToString() }));
        var combined = Assert.Single(bobFrames, f => f.Parts is not null);

        // JSON clients read one object per line, as if the parts had come one by one.
        Assert.Equal(
            combined.Parts!.SelectMany(p => Lines(p, ProtocolKind.Json)),
            Lines(combined, ProtocolKind.Json));
        Assert.All(Lines(combined, ProtocolKind.Json), line => Assert.StartsWith("{\"type\":\"message\"", line));
    }

    [Fact]
    public void A_single_frame_combines_into_itself()
    {
        var frame = new OutboundFrame(new InfoEvent("only"), TimeZoneInfo.Utc);
        Assert.Same(frame, OutboundFrame.Combine([frame]));
        Assert.Null(frame.Parts);
    }

    private static IEnumerable<string> Contents(OutboundFrame frame) =>
        (frame.Parts ?? [frame]).Select(f => ((ChatEvent)f.Event).Content);

    private static IEnumerable<string> Lines(OutboundFrame frame, ProtocolKind protocol) =>
        System.Text.Encoding.UTF8.GetString(frame.GetBytes(protocol)).TrimEnd('\n').Split('\n');

    // Frames as the write loop would take them, until one carries a chat message with this content.
    private static async Task<List<OutboundFrame>> FramesUntilAsync(Session session, string content)
    {
        using var deadline = new CancellationTokenSource(Bound);
        var frames = new List<OutboundFrame>();
        while (true)
        {
            var frame = await session.Outbound.ReadAsync(deadline.Token);
            session.Dequeued(frame);
            frames.Add(frame);
            if ((frame.Parts ?? [frame]).Any(f => f.Event is ChatEvent e && e.Content == content))
            {
                return frames;
            }
        }
    }
}
