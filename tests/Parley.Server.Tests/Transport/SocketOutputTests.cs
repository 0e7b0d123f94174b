using System.Buffers;
using System.Net.Sockets;
using System.Text;

namespace Parley.Server.Tests.Transport;

/// <summary>The lean transport's output: many writes into pooled buffers, one send per flush, buffers gone after.</summary>
public sealed class SocketOutputTests
{
    [Fact]
    public async Task A_MiB_of_small_writes_goes_out_intact_in_one_flush()
    {
        await using var pair = await LeanPair.ConnectAsync();
        const int Total = 1024 * 1024;
        var expected = Pattern(Total);

        // 1,000-byte writes do not divide 8 KiB, so buffers end part-filled and the next write starts a new one.
        for (var at = 0; at < Total; at += 1000)
        {
            var size = Math.Min(1000, Total - at);
            expected.AsSpan(at, size).CopyTo(pair.Output.GetSpan(size));
            pair.Output.Advance(size);
        }

        Assert.Equal(Total, pair.Output.UnflushedBytes);
        var receiving = pair.ReceiveAsync(Total);
        var flushed = await pair.Output.FlushAsync().AsTask().WaitAsync(LeanPair.Timeout);
        Assert.False(flushed.IsCompleted);
        Assert.False(flushed.IsCanceled);
        Assert.Equal(0, pair.Output.UnflushedBytes);
        Assert.False(pair.Output.HoldsBuffer, "the writer kept a buffer after its flush");

        var received = await receiving;
        Assert.Equal(Total, received.Length);
        Assert.True(expected.AsSpan().SequenceEqual(received), "the bytes differ from those written");
    }

    [Fact]
    public async Task A_flush_to_a_peer_that_does_not_read_waits_until_it_does()
    {
        // Small kernel buffers at both ends, so 4 MiB cannot all be taken by the kernel.
        await using var pair = await LeanPair.ConnectAsync(peer => peer.ReceiveBufferSize = 4096);
        pair.Connection.Socket.SendBufferSize = 4096;
        const int Total = 4 * 1024 * 1024;
        var expected = Pattern(Total);
        pair.Output.Write(expected);

        var flushing = pair.Output.FlushAsync().AsTask();
        Assert.False(flushing.IsCompleted, "a flush of 4 MiB finished with the peer not reading");

        var received = await pair.ReceiveAsync(Total);
        var flushed = await flushing.WaitAsync(LeanPair.Timeout);
        Assert.False(flushed.IsCompleted);
        Assert.True(expected.AsSpan().SequenceEqual(received), "the bytes differ from those written");
        Assert.False(pair.Output.HoldsBuffer, "the writer kept a buffer after its flush");
    }

    [Fact]
    public async Task Complete_sends_what_was_not_flushed_then_FIN()
    {
        await using var pair = await LeanPair.ConnectAsync();
        var expected = Pattern(100_000);
        pair.Output.Write(expected);
        Assert.Equal(expected.Length, pair.Output.UnflushedBytes);

        var receiving = pair.ReceiveToEndAsync();
        await pair.Output.CompleteAsync().AsTask().WaitAsync(LeanPair.Timeout);

        var received = await receiving;
        Assert.Equal(expected.Length, received.Length);
        Assert.True(expected.AsSpan().SequenceEqual(received), "the bytes differ from those written");
        Assert.False(pair.Output.HoldsBuffer);
    }

    [Fact]
    public async Task Writing_after_the_peer_reset_reports_completion_instead_of_throwing()
    {
        await using var pair = await LeanPair.ConnectAsync();
        pair.Peer.LingerState = new LingerOption(true, 0);
        pair.Peer.Close();

        // The first sends after a reset may still succeed (the RST can be in flight); keep writing until
        // the writer reports that the connection is gone.
        for (var i = 0; ; i++)
        {
            Assert.True(i < 1000, "flushes kept succeeding after the peer reset");
            pair.Output.Write(Encoding.ASCII.GetBytes("into the void\n"));
            var flushed = await pair.Output.FlushAsync().AsTask().WaitAsync(LeanPair.Timeout);
            if (flushed.IsCompleted)
            {
                break;
            }
        }

        Assert.False(pair.Output.HoldsBuffer);
    }

    // Bytes that show any loss, duplication or reordering: position-dependent, not repeating every 256.
    internal static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 31) ^ (i >> 8) ^ (i >> 16));
        }

        return bytes;
    }
}
