using Parley.Protocol.Events;

namespace Parley.Core.Tests;

/// <summary>The session queue itself: bound, order, completion, waking, and storage returned after a burst.</summary>
public sealed class SendQueueStorageTests
{
    private static OutboundFrame Frame(int i) => new(new ServerNoticeEvent($"n{i}", DateTimeOffset.UnixEpoch), TimeZoneInfo.Utc);

    [Fact]
    public void Frames_come_out_in_order_and_the_bound_holds()
    {
        var queue = new SendQueue(maxCount: 100);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(queue.TryWrite(Frame(i)));
        }

        Assert.False(queue.TryWrite(Frame(100)));
        Assert.Equal(100, queue.Count);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(queue.TryRead(out var frame));
            Assert.Equal($"n{i}", ((ServerNoticeEvent)frame.Event).Message);
        }

        Assert.False(queue.TryRead(out _));
    }

    [Fact]
    public void Order_survives_wrapping_around_while_growing()
    {
        var queue = new SendQueue(maxCount: 1000);
        var next = 0;
        var expected = 0;
        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < 7; i++)
            {
                Assert.True(queue.TryWrite(Frame(next++)));
            }

            for (var i = 0; i < 5; i++)
            {
                Assert.True(queue.TryRead(out var frame));
                Assert.Equal($"n{expected++}", ((ServerNoticeEvent)frame.Event).Message);
            }
        }

        while (queue.TryRead(out var frame))
        {
            Assert.Equal($"n{expected++}", ((ServerNoticeEvent)frame.Event).Message);
        }

        Assert.Equal(next, expected);
    }

    [Fact]
    public async Task A_drained_queue_gives_its_storage_back_when_its_reader_waits()
    {
        var queue = new SendQueue(maxCount: 20_000);
        for (var i = 0; i < 10_000; i++)
        {
            queue.TryWrite(Frame(i));
        }

        Assert.True(queue.Capacity >= 10_000);
        while (queue.TryRead(out _))
        {
        }

        // A reader that drained the queue may find more at once (a fan-out): it keeps the array until it waits.
        Assert.True(queue.Capacity >= 10_000);
        var waiting = queue.WaitToReadAsync().AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.Equal(0, queue.Capacity);

        queue.Complete();
        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, queue.Capacity);
    }

    [Fact]
    public async Task A_lone_frame_needs_no_array_and_a_second_one_rents_one_until_the_reader_waits()
    {
        var queue = new SendQueue(maxCount: 10);
        Assert.Equal(0, queue.Capacity);
        Assert.True(queue.TryWrite(Frame(1)));
        Assert.Equal(0, queue.Capacity);
        Assert.True(queue.TryWrite(Frame(2)));
        Assert.True(queue.Capacity >= 2);

        Assert.True(queue.TryRead(out var first));
        Assert.Equal("n1", ((ServerNoticeEvent)first.Event).Message);
        Assert.True(queue.Capacity >= 2);
        Assert.True(queue.TryRead(out var second));
        Assert.Equal("n2", ((ServerNoticeEvent)second.Event).Message);
        Assert.False(queue.TryRead(out _));

        var waiting = queue.WaitToReadAsync().AsTask();
        Assert.Equal(0, queue.Capacity);
        Assert.True(queue.TryWrite(Frame(3)));
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, queue.Capacity);
        Assert.True(queue.TryRead(out var third));
        Assert.Equal("n3", ((ServerNoticeEvent)third.Event).Message);
    }

    [Fact]
    public void Writing_and_draining_allocates_nothing_whether_a_wake_carries_one_frame_or_a_burst()
    {
        var queue = new SendQueue(maxCount: 100);
        var frames = Enumerable.Range(0, 5).Select(Frame).ToArray();
        var into = new OutboundFrame[8];

        // Each round the reader waits on the empty queue (giving any array back), is woken, and drains.
        void Round(int count)
        {
            var waiting = queue.WaitToReadAsync();
            for (var i = 0; i < count; i++)
            {
                queue.TryWrite(frames[i]);
            }

            Assert.True(waiting.IsCompleted && waiting.Result);
            queue.TryReadMany(into);
        }

        for (var warm = 0; warm < 100; warm++)
        {
            Round(1);
            Round(5);
        }

        // A lone frame needs no array; a burst's array comes back from the pool it was returned to.
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 1000; round++)
        {
            Round(1);
            Round(5);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task The_bound_holds_however_the_frames_are_stored(int maxCount)
    {
        var queue = new SendQueue(maxCount);
        for (var round = 0; round < 3; round++)
        {
            var waiting = queue.WaitToReadAsync().AsTask();
            Assert.Equal(0, queue.Capacity);
            for (var i = 0; i < maxCount; i++)
            {
                Assert.True(queue.TryWrite(Frame(i)));
            }

            Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));

            Assert.False(queue.TryWrite(Frame(maxCount)));
            var into = new OutboundFrame[maxCount + 1];
            Assert.Equal(maxCount, queue.TryReadMany(into));
            for (var i = 0; i < maxCount; i++)
            {
                Assert.Equal($"n{i}", ((ServerNoticeEvent)into[i].Event).Message);
            }
        }
    }

    [Fact]
    public async Task No_frame_is_lost_or_reordered_as_the_storage_goes_from_none_to_an_array_to_a_bigger_one_and_back()
    {
        var queue = new SendQueue(maxCount: 100);
        var next = 0;
        var expected = 0;
        var into = new OutboundFrame[7];

        // Bursts of every size up to past two doublings, read back one at a time or in batches, partly or fully.
        for (var burst = 1; burst <= 40; burst++)
        {
            for (var i = 0; i < burst; i++)
            {
                Assert.True(queue.TryWrite(Frame(next++)));
            }

            var keep = burst % 3;
            while (queue.Count > keep)
            {
                if (burst % 2 == 0)
                {
                    Assert.True(queue.TryRead(out var frame));
                    Assert.Equal($"n{expected++}", ((ServerNoticeEvent)frame.Event).Message);
                }
                else
                {
                    var n = queue.TryReadMany(into.AsSpan(0, Math.Min(into.Length, queue.Count - keep)));
                    for (var i = 0; i < n; i++)
                    {
                        Assert.Equal($"n{expected++}", ((ServerNoticeEvent)into[i].Event).Message);
                    }
                }
            }

            if (keep == 0)
            {
                // The reader waits on the empty queue: the storage goes back, and the next frame wakes it.
                var waiting = queue.WaitToReadAsync().AsTask();
                Assert.Equal(0, queue.Capacity);
                Assert.True(queue.TryWrite(Frame(next++)));
                Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
            }
        }

        while (queue.TryRead(out var frame))
        {
            Assert.Equal($"n{expected++}", ((ServerNoticeEvent)frame.Event).Message);
        }

        Assert.Equal(next, expected);
        queue.Complete();
        Assert.False(await queue.WaitToReadAsync());
        Assert.Equal(0, queue.Capacity);
    }

    [Fact]
    public async Task Completion_waits_until_everything_queued_was_read()
    {
        var queue = new SendQueue(maxCount: 10);
        queue.TryWrite(Frame(1));
        queue.Complete();
        Assert.False(queue.TryWrite(Frame(2)));
        Assert.False(queue.Completion.IsCompleted);
        Assert.True(await queue.WaitToReadAsync());
        Assert.True(queue.TryRead(out _));
        await queue.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(await queue.WaitToReadAsync());
    }

    [Fact]
    public async Task A_waiting_reader_is_woken_by_a_write_and_by_completion()
    {
        var queue = new SendQueue(maxCount: 10);
        var waiting = queue.WaitToReadAsync().AsTask();
        Assert.False(waiting.IsCompleted);
        queue.TryWrite(Frame(1));
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(queue.TryRead(out _));

        var second = queue.WaitToReadAsync().AsTask();
        Assert.False(second.IsCompleted);
        queue.Complete();
        Assert.False(await second.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_wait_can_be_cancelled_and_the_queue_still_works()
    {
        var queue = new SendQueue(maxCount: 10);
        using var cts = new CancellationTokenSource();
        var waiting = queue.WaitToReadAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        queue.TryWrite(Frame(1));
        Assert.True(await queue.WaitToReadAsync());
    }
}
