using System.Buffers;

namespace Parley.Benchmarks;

/// <summary>Builds multi-segment sequences like a Kestrel pipe hands out (one segment per memory block).</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Split(byte[] bytes, int segmentBytes)
    {
        Segment? first = null, last = null;
        for (var at = 0; at < bytes.Length; at += segmentBytes)
        {
            var memory = bytes.AsMemory(at, Math.Min(segmentBytes, bytes.Length - at));
            var segment = new Segment(memory, at);
            if (last is null)
            {
                first = segment;
            }
            else
            {
                last.Append(segment);
            }

            last = segment;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void Append(Segment next) => Next = next;
    }
}
