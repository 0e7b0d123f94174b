using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Parley.Server.Tests.Transport;

/// <summary>Reading the lean transport's input the way the chat read loop does: frame, consume part, ask for more.</summary>
public sealed class SocketInputTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Lines_written_in_tiny_pieces_arrive_complete_and_in_order(bool readinessLoop)
    {
        await using var pair = await LeanPair.ConnectAsync(readinessLoop: readinessLoop);
        var lines = Enumerable.Range(0, 300).Select(i => $"line {i} " + new string((char)('a' + (i % 26)), i % 97)).ToList();
        var stream = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));

        // Pieces of 1 to 7 bytes, each its own send (NoDelay), so lines straddle many receives.
        var sending = Task.Run(async () =>
        {
            var random = new Random(17);
            for (var at = 0; at < stream.Length;)
            {
                var size = Math.Min(random.Next(1, 8), stream.Length - at);
                await pair.SendAsync(stream.AsMemory(at, size));
                at += size;
            }
        });

        var read = await ReadLinesAsync(pair.Input, lines.Count).WaitAsync(LeanPair.Timeout);
        await sending;
        Assert.Equal(lines, read);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_line_longer_than_the_first_buffer_grows_it_and_arrives_whole(bool readinessLoop)
    {
        await using var pair = await LeanPair.ConnectAsync(readinessLoop: readinessLoop);

        // The input starts with a 4 KiB buffer; a 50,000-byte line needs it to slide and grow several times.
        var longLine = string.Concat(Enumerable.Range(0, 10_000).Select(i => (char)('a' + (i % 26)) + "0123"));
        var stream = Encoding.UTF8.GetBytes($"short\n{longLine}\nafter\n");
        var sending = Task.Run(async () =>
        {
            for (var at = 0; at < stream.Length; at += 1000)
            {
                await pair.SendAsync(stream.AsMemory(at, Math.Min(1000, stream.Length - at)));
            }
        });

        var read = await ReadLinesAsync(pair.Input, 3).WaitAsync(LeanPair.Timeout);
        await sending;
        Assert.Equal(["short", longLine, "after"], read);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Bytes_the_reader_examined_but_left_are_handed_out_again_with_the_new_ones(bool readinessLoop)
    {
        await using var pair = await LeanPair.ConnectAsync(readinessLoop: readinessLoop);
        await pair.SendAsync("abc"u8.ToArray());
        var first = await ReadAtLeastAsync(pair.Input, 3);
        Assert.Equal("abc", Encoding.ASCII.GetString(first.Buffer));

        // Consume one byte, examine all: the next read must wait for new bytes, then show "bc" + them.
        pair.Input.AdvanceTo(first.Buffer.GetPosition(1), first.Buffer.End);
        var next = pair.Input.ReadAsync();
        Assert.False(next.IsCompleted, "a read with nothing new to show completed");
        await pair.SendAsync("de"u8.ToArray());
        var second = await next.AsTask().WaitAsync(LeanPair.Timeout);
        Assert.StartsWith("bcd", Encoding.ASCII.GetString(second.Buffer));
    }

    // The chat read loop in miniature: take whole lines, leave the partial one, examine everything.
    internal static async Task<List<string>> ReadLinesAsync(PipeReader input, int count)
    {
        var lines = new List<string>();
        while (lines.Count < count)
        {
            var result = await input.ReadAsync();
            var buffer = result.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } newline)
            {
                lines.Add(Encoding.UTF8.GetString(buffer.Slice(0, newline)));
                buffer = buffer.Slice(buffer.GetPosition(1, newline));
            }

            Assert.False(result.IsCompleted, $"input ended after {lines.Count} of {count} lines");
            input.AdvanceTo(buffer.Start, buffer.End);
        }

        return lines;
    }

    // Reads until at least `count` bytes are buffered (without consuming any); the caller advances.
    internal static async Task<ReadResult> ReadAtLeastAsync(PipeReader input, int count)
    {
        while (true)
        {
            var result = await input.ReadAsync().AsTask().WaitAsync(LeanPair.Timeout);
            if (result.Buffer.Length >= count || result.IsCompleted)
            {
                return result;
            }

            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
