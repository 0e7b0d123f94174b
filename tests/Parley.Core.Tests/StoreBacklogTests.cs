using Microsoft.Extensions.Logging.Abstractions;
using Parley.Protocol.Events;
using Parley.Testing;

namespace Parley.Core.Tests;

public sealed class StoreBacklogTests
{
    [Fact]
    public void Input_pauses_while_the_store_is_behind_and_a_stalled_reader_cannot_keep_it_paused_afterwards()
    {
        var time = new ManualTimeProvider(HubHarness.Start);
        var flow = new FlowControl(time, TimeSpan.FromMilliseconds(500));
        var reader = new Session("test", "mem", HubHarness.Start, 1000, 1_000_000, flow, time, highWaterBytes: 10);

        flow.StoreBehind(true);
        Assert.True(flow.IsPaused);
        reader.Send(new OutboundFrame(new InfoEvent("more than the high-water mark"), TimeZoneInfo.Utc));
        Assert.Equal(1, flow.CongestedCount);

        // Never drained: after the grace the reader is stalled and no longer counts; the store still does.
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, flow.CongestedCount);
        Assert.True(flow.IsPaused);
        flow.StoreBehind(false);
        Assert.False(flow.IsPaused);
    }

    [Fact]
    public async Task Once_the_writer_has_caught_up_input_is_never_left_paused()
    {
        // Every second message of a pair crosses the backlog limit and pauses input; the writer must lift the
        // pause each time it catches up. (The race this guards against, a pause landing after the writer had
        // already taken the message and released, is a few instructions wide: this does not provoke it on
        // demand, it holds the writer to the rule under three racing senders.)
        var flow = new FlowControl(TimeProvider.System, TimeSpan.FromMinutes(5));
        long delivered = 0;
        var writer = new MessageWriter(new MemoryMessageStore(), TimeProvider.System, NullLogger.Instance, flow, backlogLimit: 2, backlogBytesLimit: long.MaxValue, (batch, _) => Interlocked.Add(ref delivered, batch.Count));
        var sender = new Session("test", "mem", HubHarness.Start, 10, 10_000) { Username = "sender" };

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 1500; i++)
            {
                Assert.True(writer.Submit(new OutgoingMessage(sender, "one", null)));
                Assert.True(writer.Submit(new OutgoingMessage(sender, "two", null)));
                await Eventually.TrueAsync(() => !flow.IsPaused || writer.Backlog > 0, TimeSpan.FromSeconds(10), "input resumed or more to store");
            }
        })));

        await writer.CompleteAsync();
        Assert.Equal(9000, Interlocked.Read(ref delivered));
        await Eventually.TrueAsync(() => !flow.IsPaused, TimeSpan.FromSeconds(10), "input resumed once everything was stored");
    }
}
