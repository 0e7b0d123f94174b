using System.Buffers;

namespace Parley.Protocol.Tests;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, the shape a socket's pipe hands the framer.</summary>
internal static class Segments
{
    /// <summary>One segment per chunk (empty chunks included: pipes produce them too).</summary>
    public static ReadOnlySequence<byte> Of(params byte[][] chunks)
    {
        if (chunks.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(chunks[0], 0);
        var last = first;
        for (var i = 1; i < chunks.Length; i++)
        {
            last = last.Append(chunks[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>The bytes cut at the given ascending offsets into consecutive segments.</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts) => Of(Chunks(bytes, cuts));

    public static byte[][] Chunks(byte[] bytes, IReadOnlyList<int> cuts)
    {
        var chunks = new byte[cuts.Count + 1][];
        var start = 0;
        for (var i = 0; i < cuts.Count; i++)
        {
            chunks[i] = bytes[start..cuts[i]];
            start = cuts[i];
        }

        chunks[^1] = bytes[start..];
        return chunks;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
