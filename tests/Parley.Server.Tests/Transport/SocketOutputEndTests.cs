using System.Buffers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Parley.Server.Tests.Transport;

/// <summary>How a flush ends when the connection does: completed, cancelled, aborted, or the writer finished.</summary>
public sealed class SocketOutputEndTests
{
    private const int Blocked = 4 * 1024 * 1024;

    [Fact]
    public async Task Complete_waiting_on_a_slow_peer_still_sends_everything_then_FIN()
    {
        await using var pair = await BlockedPairAsync();
        var expected = SocketOutputTests.Pattern(Blocked);
        pair.Output.Write(expected);
        var closed = ClosedAsync(pair.Connection);

        var completing = pair.Output.CompleteAsync().AsTask();
        Assert.False(completing.IsCompleted, "Complete finished while the peer was not reading");
        Assert.False(closed.IsCompleted, "the connection closed before its last bytes were sent");

        var received = await pair.ReceiveToEndAsync();
        await completing.WaitAsync(LeanPair.Timeout);
        await closed.WaitAsync(LeanPair.Timeout);
        Assert.True(expected.AsSpan().SequenceEqual(received), "the bytes differ from those written");
    }

    [Fact]
    public async Task Cancelling_a_blocked_flush_throws_and_aborts_the_connection()
    {
        await using var pair = await BlockedPairAsync();
        pair.Output.Write(SocketOutputTests.Pattern(Blocked));
        using var cts = new CancellationTokenSource();

        var flushing = pair.Output.FlushAsync(cts.Token).AsTask();
        Assert.False(flushing.IsCompleted, "a flush of 4 MiB finished with the peer not reading");
        await cts.CancelAsync();

        // The bytes already given to the kernel cannot be taken back, so the connection goes.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flushing.WaitAsync(LeanPair.Timeout));
        await ClosedAsync(pair.Connection).WaitAsync(LeanPair.Timeout);
        Assert.False(pair.Output.HoldsBuffer, "the writer kept its buffers after the failed send");
        await Assert.ThrowsAsync<ConnectionAbortedException>(() => pair.Input.ReadAsync().AsTask().WaitAsync(LeanPair.Timeout));
    }

    [Fact]
    public async Task Abort_ends_a_blocked_flush_as_completed()
    {
        await using var pair = await BlockedPairAsync();
        pair.Output.Write(SocketOutputTests.Pattern(Blocked));
        var flushing = pair.Output.FlushAsync().AsTask();
        Assert.False(flushing.IsCompleted, "a flush of 4 MiB finished with the peer not reading");

        pair.Connection.Abort(new ConnectionAbortedException("test abort"));

        var flushed = await flushing.WaitAsync(LeanPair.Timeout);
        Assert.True(flushed.IsCompleted, "a flush on an aborted connection did not say it is over");
        Assert.False(pair.Output.HoldsBuffer, "the writer kept its buffers after the failed send");

        // Later flushes report the same without sending.
        pair.Output.Write("more"u8);
        Assert.True((await pair.Output.FlushAsync().AsTask().WaitAsync(LeanPair.Timeout)).IsCompleted);
    }

    [Fact]
    public async Task Reading_and_writing_at_once_echo_a_MiB_intact()
    {
        // The connection's read loop and write loop run concurrently in the server; here one loop echoes.
        await using var pair = await LeanPair.ConnectAsync();
        const int Total = 1024 * 1024;
        var expected = SocketOutputTests.Pattern(Total);
        var echoing = Task.Run(async () =>
        {
            while (true)
            {
                var result = await pair.Input.ReadAsync();
                foreach (var segment in result.Buffer)
                {
                    pair.Output.Write(segment.Span);
                }

                pair.Input.AdvanceTo(result.Buffer.End);
                await pair.Output.FlushAsync();
                if (result.IsCompleted)
                {
                    await pair.Output.CompleteAsync();
                    return;
                }
            }
        });

        var receiving = pair.ReceiveToEndAsync();
        await pair.SendAsync(expected);
        pair.Peer.Shutdown(SocketShutdown.Send);

        var received = await receiving;
        await echoing.WaitAsync(LeanPair.Timeout);
        Assert.True(expected.AsSpan().SequenceEqual(received), "the echo differs from what was sent");
    }

    // A pair whose kernel buffers are small at both ends, so a 4 MiB flush waits for the peer to read.
    private static async Task<LeanPair> BlockedPairAsync()
    {
        var pair = await LeanPair.ConnectAsync(peer => peer.ReceiveBufferSize = 4096);
        pair.Connection.Socket.SendBufferSize = 4096;
        return pair;
    }

    private static Task ClosedAsync(ConnectionContext connection)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionClosed.Register(() => closed.TrySetResult());
        return closed.Task;
    }
}
