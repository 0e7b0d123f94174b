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
}
