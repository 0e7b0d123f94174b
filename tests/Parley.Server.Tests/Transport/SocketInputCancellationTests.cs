using System.Text;

namespace Parley.Server.Tests.Transport;

/// <summary>
/// A read the reader stops waiting for (its token, or CancelPendingRead) must not cost the connection
/// anything: the socket receive stays posted and the bytes that come next are still delivered.
/// </summary>
public sealed class SocketInputCancellationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_read_cancelled_by_its_token_throws_and_the_next_read_gets_the_data_sent_after(bool readinessLoop)
    {
        await using var pair = await LeanPair.ConnectAsync(readinessLoop: readinessLoop);
        using var cts = new CancellationTokenSource();
        var reading = pair.Input.ReadAsync(cts.Token).AsTask();
        Assert.False(reading.IsCompleted, "a read completed with nothing sent");

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(LeanPair.Timeout));

        await pair.SendAsync("after the cancel\n"u8.ToArray());
        Assert.Equal(["after the cancel"], await SocketInputTests.ReadLinesAsync(pair.Input, 1).WaitAsync(LeanPair.Timeout));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cancelling_the_token_again_and_again_loses_nothing(bool readinessLoop)
    {
        // The chat loop reads with a fresh timeout token while a line is unfinished: many abandoned
        // waits, interleaved with bytes arriving, must still add up to the exact stream.
        await using var pair = await LeanPair.ConnectAsync(readinessLoop: readinessLoop);
        var received = new StringBuilder();
        for (var i = 0; i < 20; i++)
        {
            using (var cts = new CancellationTokenSource())
            {
                var abandoned = pair.Input.ReadAsync(cts.Token).AsTask();
                await cts.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(LeanPair.Timeout));
            }

            await pair.SendAsync(Encoding.ASCII.GetBytes($"{i},"));

            // A send may arrive in more than one receive; take all of it before the next round.
            while (!received.ToString().EndsWith($"{i},", StringComparison.Ordinal))
            {
                var result = await SocketInputTests.ReadAtLeastAsync(pair.Input, 1);
                received.Append(Encoding.ASCII.GetString(result.Buffer));
                pair.Input.AdvanceTo(result.Buffer.End);
            }
        }

        Assert.Equal(string.Concat(Enumerable.Range(0, 20).Select(i => $"{i},")), received.ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CancelPendingRead_wakes_a_waiting_read_or_the_next_one_and_data_flows_after(bool readinessLoop)
    {
        await using var pair = await LeanPair.ConnectAsync(readinessLoop: readinessLoop);

        var waiting = pair.Input.ReadAsync().AsTask();
        Assert.False(waiting.IsCompleted, "a read completed with nothing sent");
        pair.Input.CancelPendingRead();
        var woken = await waiting.WaitAsync(LeanPair.Timeout);
        Assert.True(woken.IsCanceled);
        Assert.False(woken.IsCompleted);
        pair.Input.AdvanceTo(woken.Buffer.Start);

        // With no read waiting, the cancel is kept for the next read.
        pair.Input.CancelPendingRead();
        var next = await pair.Input.ReadAsync().AsTask().WaitAsync(LeanPair.Timeout);
        Assert.True(next.IsCanceled);
        pair.Input.AdvanceTo(next.Buffer.Start);

        // ... and only for that one.
        var normal = pair.Input.ReadAsync().AsTask();
        Assert.False(normal.IsCompleted, "the cancel applied to a second read");
        await pair.SendAsync("still here\n"u8.ToArray());
        var result = await normal.WaitAsync(LeanPair.Timeout);
        Assert.False(result.IsCanceled);

        // Nothing consumed or examined: the framer loop sees these bytes again, plus any still coming.
        pair.Input.AdvanceTo(result.Buffer.Start);
        Assert.Equal(["still here"], await SocketInputTests.ReadLinesAsync(pair.Input, 1).WaitAsync(LeanPair.Timeout));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Reading_again_before_advancing_the_last_result_is_refused_as_a_pipe_refuses_it(bool readinessLoop)
    {
        await using var pair = await LeanPair.ConnectAsync(readinessLoop: readinessLoop);
        await pair.SendAsync("line\n"u8.ToArray());
        var first = await SocketInputTests.ReadAtLeastAsync(pair.Input, 5);

        Assert.Throws<InvalidOperationException>(() => pair.Input.ReadAsync());
        Assert.Throws<InvalidOperationException>(() => pair.Input.TryRead(out _));

        // Once advanced, reading works again and nothing was lost.
        pair.Input.AdvanceTo(first.Buffer.Start);
        Assert.True(pair.Input.TryRead(out var again));
        Assert.Equal("line\n", Encoding.ASCII.GetString(again.Buffer));
        pair.Input.AdvanceTo(again.Buffer.End);
    }
}
