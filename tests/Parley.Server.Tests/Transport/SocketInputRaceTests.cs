using System.Text;

namespace Parley.Server.Tests.Transport;

/// <summary>
/// Cancellation racing arrival, as in the server: a line timeout's token or the write loop's
/// CancelPendingRead can fire just as bytes come in. Whichever wins, no byte may be lost or repeated.
/// </summary>
public sealed class SocketInputRaceTests
{
    private const int Rounds = 200;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Token_cancels_racing_arrivals_lose_no_bytes(bool readinessLoop)
    {
        await using var pair = await LeanPair.ConnectAsync(readinessLoop: readinessLoop);
        var received = new StringBuilder();
        for (var i = 0; i < Rounds; i++)
        {
            using var cts = new CancellationTokenSource();
            var reading = pair.Input.ReadAsync(cts.Token).AsTask();
            var chunk = Encoding.ASCII.GetBytes($"{i},");
            await Task.WhenAll(Task.Run(() => pair.SendAsync(chunk)), Task.Run(cts.CancelAsync));
            try
            {
                var result = await reading.WaitAsync(LeanPair.Timeout);
                received.Append(Encoding.ASCII.GetString(result.Buffer));
                pair.Input.AdvanceTo(result.Buffer.End);
            }
            catch (OperationCanceledException)
            {
                // Cancelled first: the bytes must come with a later read.
            }
        }

        await ReadRestAsync(pair, received);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CancelPendingRead_racing_arrivals_loses_no_bytes(bool readinessLoop)
    {
        await using var pair = await LeanPair.ConnectAsync(readinessLoop: readinessLoop);
        var received = new StringBuilder();
        for (var i = 0; i < Rounds; i++)
        {
            var reading = pair.Input.ReadAsync().AsTask();
            var chunk = Encoding.ASCII.GetBytes($"{i},");
            await Task.WhenAll(Task.Run(() => pair.SendAsync(chunk)), Task.Run(pair.Input.CancelPendingRead));
            var result = await reading.WaitAsync(LeanPair.Timeout);
            received.Append(Encoding.ASCII.GetString(result.Buffer));
            pair.Input.AdvanceTo(result.Buffer.End);
            if (!result.IsCanceled)
            {
                // The cancel came after the read ended, so it is kept for the next one: take it now.
                var cancelled = await pair.Input.ReadAsync().AsTask().WaitAsync(LeanPair.Timeout);
                received.Append(Encoding.ASCII.GetString(cancelled.Buffer));
                pair.Input.AdvanceTo(cancelled.Buffer.End);
            }
        }

        await ReadRestAsync(pair, received);
    }

    // Reads until every round's bytes are in, then checks the stream is exactly them, in order.
    private static async Task ReadRestAsync(LeanPair pair, StringBuilder received)
    {
        var expected = string.Concat(Enumerable.Range(0, Rounds).Select(i => $"{i},"));
        while (received.Length < expected.Length)
        {
            var result = await pair.Input.ReadAsync().AsTask().WaitAsync(LeanPair.Timeout);
            received.Append(Encoding.ASCII.GetString(result.Buffer));
            pair.Input.AdvanceTo(result.Buffer.End);
        }

        Assert.Equal(expected, received.ToString());
    }
}
