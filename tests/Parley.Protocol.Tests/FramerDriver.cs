namespace Parley.Protocol.Tests;

/// <summary>
/// Feeds chunks to a <see cref="LineFramer"/> the way the TCP read loop does: each arrival is
/// appended to whatever the framer left unconsumed (segments kept as they were), and the framer is
/// called until it needs more.
/// </summary>
internal static class FramerDriver
{
    public static FramingRun Run(int maxLineBytes, IEnumerable<byte[]> chunks) => Run(new LineFramer(maxLineBytes), chunks);

    public static FramingRun Run(LineFramer framer, IEnumerable<byte[]> chunks)
    {
        var outcomes = new List<Framed>();
        var pending = new List<byte[]>();
        long maxPending = 0;
        foreach (var chunk in chunks)
        {
            pending.Add(chunk);
            var buffer = Segments.Of([.. pending]);
            while (true)
            {
                var before = buffer.Length;
                var status = framer.TryRead(ref buffer, out var line);
                if (status == LineStatus.NeedMore)
                {
                    break;
                }

                if (buffer.Length >= before)
                {
                    throw new InvalidOperationException($"{status} consumed nothing: the read loop would spin");
                }

                outcomes.Add(status == LineStatus.Line ? Framed.Of(line) : Framed.TooLong);
            }

            pending.Clear();
            foreach (var segment in buffer)
            {
                pending.Add(segment.ToArray());
            }

            maxPending = Math.Max(maxPending, buffer.Length);
        }

        return new FramingRun(outcomes, [.. pending.SelectMany(p => p)], maxPending);
    }

    /// <summary>The whole input as one chunk.</summary>
    public static FramingRun Whole(int maxLineBytes, byte[] input) => Run(maxLineBytes, [input]);

    /// <summary>One byte per chunk.</summary>
    public static FramingRun Bytewise(int maxLineBytes, byte[] input) => Run(maxLineBytes, input.Select(b => new[] { b }));
}
