using System.Buffers;

namespace Parley.Server.Tests.Transport;

/// <summary>
/// The point of the lean transport is memory per idle connection: neither direction may keep a pooled
/// buffer once its bytes have moved.
/// </summary>
public sealed class IdleBufferTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_input_gives_its_buffer_back_once_everything_is_consumed_and_waits_without_one(bool readinessLoop)
    {
        await using var pair = await LeanPair.ConnectAsync(readinessLoop: readinessLoop);
        Assert.False(pair.Input.HoldsBuffer, "a new connection holds a receive buffer");

        await pair.SendAsync("hello\npartial"u8.ToArray());
        var result = await SocketInputTests.ReadAtLeastAsync(pair.Input, 13);

        // A partial line left unconsumed must be kept ...
        pair.Input.AdvanceTo(result.Buffer.GetPosition(6), result.Buffer.End);
        Assert.True(pair.Input.HoldsBuffer, "the buffer went back with unconsumed bytes in it");

        // ... and once it is consumed too, nothing is held, including while the next read waits.
        await pair.SendAsync("\n"u8.ToArray());
        var rest = await pair.Input.ReadAsync().AsTask().WaitAsync(LeanPair.Timeout);
        Assert.Equal("partial\n"u8.ToArray(), rest.Buffer.ToArray());
        pair.Input.AdvanceTo(rest.Buffer.End);
        Assert.False(pair.Input.HoldsBuffer, "the buffer was kept after everything was consumed");

        var waiting = pair.Input.ReadAsync().AsTask();
        Assert.False(waiting.IsCompleted, "a read completed with nothing sent");
        Assert.False(pair.Input.HoldsBuffer, "a waiting read holds a buffer");

        await pair.SendAsync("more\n"u8.ToArray());
        var more = await waiting.WaitAsync(LeanPair.Timeout);
        pair.Input.AdvanceTo(more.Buffer.End);
        Assert.False(pair.Input.HoldsBuffer);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_output_holds_a_buffer_only_between_a_write_and_its_flush(bool readinessLoop)
    {
        await using var pair = await LeanPair.ConnectAsync(readinessLoop: readinessLoop);
        Assert.False(pair.Output.HoldsBuffer, "a new connection holds a send buffer");

        pair.Output.Write("hello\n"u8);
        Assert.True(pair.Output.HoldsBuffer);
        var receiving = pair.ReceiveAsync(6);
        await pair.Output.FlushAsync().AsTask().WaitAsync(LeanPair.Timeout);
        Assert.False(pair.Output.HoldsBuffer, "the buffer was kept after the flush");
        Assert.Equal("hello\n"u8.ToArray(), await receiving);

        // A flush with nothing written holds nothing either.
        await pair.Output.FlushAsync().AsTask().WaitAsync(LeanPair.Timeout);
        Assert.False(pair.Output.HoldsBuffer);
    }
}
