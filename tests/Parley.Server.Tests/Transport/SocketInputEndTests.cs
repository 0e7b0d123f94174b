using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections;

namespace Parley.Server.Tests.Transport;

/// <summary>How a connection's input ends: the peer's FIN, our abort, the peer's reset, or too much unread input.</summary>
public sealed class SocketInputEndTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Data_then_the_peers_FIN_is_read_whole_and_then_completes(bool readinessLoop)
    {
        await using var pair = await LeanPair.ConnectAsync(readinessLoop: readinessLoop);
        await pair.SendAsync("last words\nno newline"u8.ToArray());
        pair.Peer.Shutdown(SocketShutdown.Send);

        var result = await ReadToCompletionAsync(pair.Input);
        Assert.True(result.IsCompleted);
        Assert.Equal("last words\nno newline", Encoding.ASCII.GetString(result.Buffer));
        pair.Input.AdvanceTo(result.Buffer.End);

        // Completion sticks: a read after it says so again at once.
        var again = await pair.Input.ReadAsync().AsTask().WaitAsync(LeanPair.Timeout);
        Assert.True(again.IsCompleted);
        Assert.True(again.Buffer.IsEmpty);

        // The peer only stopped sending (`printf name | nc`): the answer must still reach it.
        pair.Output.Write("bye\n"u8);
        var receiving = pair.ReceiveToEndAsync();
        await pair.Output.CompleteAsync().AsTask().WaitAsync(LeanPair.Timeout);
        Assert.Equal("bye\n"u8.ToArray(), await receiving);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Abort_ends_a_waiting_read_with_ConnectionAbortedException_and_closes_the_peer(bool readinessLoop)
    {
        await using var pair = await LeanPair.ConnectAsync(readinessLoop: readinessLoop);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = pair.Connection.ConnectionClosed.Register(() => closed.TrySetResult());
        var reading = pair.Input.ReadAsync().AsTask();
        Assert.False(reading.IsCompleted, "a read completed with nothing sent");

        pair.Connection.Abort(new ConnectionAbortedException("test abort"));

        var aborted = await Assert.ThrowsAsync<ConnectionAbortedException>(() => reading.WaitAsync(LeanPair.Timeout));
        Assert.Equal("test abort", aborted.Message);
        await closed.Task.WaitAsync(LeanPair.Timeout);
        Assert.Empty(await pair.ReceiveToEndAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Abort_with_no_read_waiting_fails_the_next_read(bool readinessLoop)
    {
        await using var pair = await LeanPair.ConnectAsync(readinessLoop: readinessLoop);
        pair.Connection.Abort(new ConnectionAbortedException("test abort"));
        await Assert.ThrowsAsync<ConnectionAbortedException>(() => pair.Input.ReadAsync().AsTask().WaitAsync(LeanPair.Timeout));
        Assert.True(pair.Connection.ConnectionClosed.IsCancellationRequested);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_reset_by_the_peer_ends_the_read_and_never_hangs(bool readinessLoop)
    {
        await using var pair = await LeanPair.ConnectAsync(readinessLoop: readinessLoop);
        var reading = pair.Input.ReadAsync().AsTask();

        // Linger 0: close sends RST instead of FIN.
        pair.Peer.LingerState = new LingerOption(true, 0);
        pair.Peer.Close();

        try
        {
            var result = await reading.WaitAsync(LeanPair.Timeout);
            Assert.True(result.IsCompleted, "a reset woke the read without ending it");
        }
        catch (ConnectionResetException)
        {
            // The expected ending; a completed read (above) would be acceptable too.
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Unread_input_over_the_cap_fails_the_read_instead_of_growing(bool readinessLoop)
    {
        await using var pair = await LeanPair.ConnectAsync(readinessLoop: readinessLoop);
        const long Cap = 1024 * 1024;

        // The peer offers 3 MiB and the reader never consumes a byte; its sends stall once the kernel
        // buffers are full, so this is not awaited until the connection is gone.
        var sending = pair.SendAsync(new byte[3 * Cap]);

        var failed = await Assert.ThrowsAsync<ConnectionAbortedException>(async () =>
        {
            while (true)
            {
                var result = await pair.Input.ReadAsync().AsTask().WaitAsync(LeanPair.Timeout);
                Assert.InRange(result.Buffer.Length, 1, Cap);
                Assert.False(result.IsCompleted);
                pair.Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        });
        Assert.Contains("unread", failed.Message);

        // Closing with unread input resets the peer, which ends its stalled send (or it had already finished).
        await pair.Connection.DisposeAsync();
        try
        {
            await sending;
        }
        catch (SocketException)
        {
        }
    }

    // Reads, consuming nothing, until the input says it is complete.
    private static async Task<ReadResult> ReadToCompletionAsync(PipeReader input)
    {
        while (true)
        {
            var result = await input.ReadAsync().AsTask().WaitAsync(LeanPair.Timeout);
            if (result.IsCompleted)
            {
                return result;
            }

            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
