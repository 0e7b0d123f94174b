using Parley.Protocol.Events;

namespace Parley.Core.Tests;

/// <summary>
/// One frame at a time, the writer waiting for the reader to take it before sending the next: every wake
/// is a race between the writer's TryWrite and the reader's new wait, the pattern a chat echo follows.
/// </summary>
public sealed class SendQueuePingPongTests
{
    [Fact]
    public async Task A_frame_written_just_as_the_reader_begins_to_wait_always_wakes_it()
    {
        var session = new Session("test", "mem", DateTimeOffset.UnixEpoch, 1000, 1_000_000);
        var frame = new OutboundFrame(new InfoEvent("ping"), TimeZoneInfo.Utc);
        var taken = new SemaphoreSlim(0);
        const int Rounds = 100_000;

        var reader = Task.Run(async () =>
        {
            var batch = new OutboundFrame[8];
            for (var got = 0; got < Rounds;)
            {
                if (!await session.Outbound.WaitToReadAsync())
                {
                    return;
                }

                var n = session.Take(batch);
                session.Dequeued(batch.AsSpan(0, n));
                got += n;
                taken.Release(n);
            }
        });

        for (var i = 0; i < Rounds; i++)
        {
            Assert.True(session.Send(frame));
            Assert.True(await taken.WaitAsync(TimeSpan.FromSeconds(5)), $"frame {i} was never taken: a lost wake-up");
        }

        await reader.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
