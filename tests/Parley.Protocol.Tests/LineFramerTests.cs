using System.Buffers;
using System.Text;

namespace Parley.Protocol.Tests;

public sealed class LineFramerTests
{
    private const int Max = 16;

    // Mixed terminators, an empty line, a bare '\r' inside a line and a multi-byte character.
    private static readonly byte[] MultiLine = Encoding.UTF8.GetBytes("alpha\r\nbeta\n\ncaf\u00e9 \u20ac\r\nx\ry\n\r\n");

    private static readonly Framed[] MultiLineExpected =
    [
        Framed.Of("alpha"),
        Framed.Of("beta"),
        Framed.Of(string.Empty),
        Framed.Of(Encoding.UTF8.GetBytes("caf\u00e9 \u20ac")),
        Framed.Of("x\ry"),
        Framed.Of(string.Empty),
    ];

    [Theory]
    [InlineData("hello\n", "hello")]
    [InlineData("hello\r\n", "hello")]
    [InlineData("\n", "")]
    [InlineData("\r\n", "")]
    [InlineData("a\rb\n", "a\rb")]
    [InlineData("two\r\r\n", "two\r")]
    [InlineData("  spaced  \n", "  spaced  ")]
    public void Reads_one_line_and_drops_only_its_terminator(string input, string expected)
    {
        var framer = new LineFramer(Max);
        var buffer = new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(input));

        Assert.Equal(LineStatus.Line, framer.TryRead(ref buffer, out var line));
        Assert.Equal(expected, Encoding.Latin1.GetString(line.ToArray()));
        Assert.True(buffer.IsEmpty);
        Assert.Equal(LineStatus.NeedMore, framer.TryRead(ref buffer, out _));
    }

    [Fact]
    public void Without_a_newline_it_needs_more_and_consumes_nothing()
    {
        var framer = new LineFramer(Max);
        var bytes = Encoding.ASCII.GetBytes("partial\r");
        var buffer = Segments.Split(bytes, 3);

        Assert.Equal(LineStatus.NeedMore, framer.TryRead(ref buffer, out _));
        Assert.Equal(bytes, buffer.ToArray());
    }

    [Fact]
    public void Reads_several_lines_from_one_buffer_and_keeps_the_unterminated_tail()
    {
        var run = FramerDriver.Whole(Max, Encoding.ASCII.GetBytes("one\ntwo\r\nthr"));

        Assert.Equal([Framed.Of("one"), Framed.Of("two")], run.Outcomes);
        Assert.Equal("thr", Encoding.ASCII.GetString(run.Leftover));
    }

    [Fact]
    public void Lines_are_identical_at_every_single_split_point()
    {
        for (var cut = 0; cut <= MultiLine.Length; cut++)
        {
            var run = FramerDriver.Run(Max, Segments.Chunks(MultiLine, [cut]));
            Assert.True(MultiLineExpected.SequenceEqual(run.Outcomes), $"cut at {cut}: {string.Join(", ", run.Outcomes)}");
            Assert.Empty(run.Leftover);
        }
    }

    [Fact]
    public void Lines_are_identical_for_every_pair_of_split_points()
    {
        for (var a = 0; a <= MultiLine.Length; a++)
        {
            for (var b = a; b <= MultiLine.Length; b++)
            {
                var run = FramerDriver.Run(Max, Segments.Chunks(MultiLine, [a, b]));
                Assert.True(MultiLineExpected.SequenceEqual(run.Outcomes), $"cuts at {a},{b}: {string.Join(", ", run.Outcomes)}");
            }
        }
    }

    [Fact]
    public void Lines_are_identical_when_every_byte_arrives_alone()
    {
        var run = FramerDriver.Bytewise(Max, MultiLine);

        Assert.Equal(MultiLineExpected, run.Outcomes);
        Assert.Empty(run.Leftover);
    }

    [Fact]
    public void Lines_are_identical_within_one_multi_segment_buffer()
    {
        // Not arrival order this time: one TryRead loop over a sequence of one-byte segments.
        var framer = new LineFramer(Max);
        var buffer = Segments.Of([.. MultiLine.Select(b => new[] { b })]);
        var outcomes = new List<Framed>();
        while (framer.TryRead(ref buffer, out var line) == LineStatus.Line)
        {
            outcomes.Add(Framed.Of(line));
        }

        Assert.Equal(MultiLineExpected, outcomes);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Every_truncated_prefix_yields_the_complete_lines_and_keeps_the_rest()
    {
        for (var length = 0; length <= MultiLine.Length; length++)
        {
            var prefix = MultiLine[..length];
            var lastNewline = Array.LastIndexOf(prefix, (byte)'\n');
            var complete = prefix.Count(b => b == (byte)'\n');

            foreach (var run in new[] { FramerDriver.Whole(Max, prefix), FramerDriver.Bytewise(Max, prefix) })
            {
                Assert.True(MultiLineExpected.Take(complete).SequenceEqual(run.Outcomes), $"prefix of {length}: {string.Join(", ", run.Outcomes)}");
                Assert.Equal(prefix[(lastNewline + 1)..], run.Leftover);
            }
        }
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void A_line_of_exactly_the_limit_passes(string terminator)
    {
        var content = new string('a', Max);
        var input = Encoding.ASCII.GetBytes(content + terminator);

        Assert.Equal([Framed.Of(content)], FramerDriver.Whole(Max, input).Outcomes);
        Assert.Equal([Framed.Of(content)], FramerDriver.Bytewise(Max, input).Outcomes);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void One_byte_over_the_limit_is_too_long_and_the_next_line_still_arrives(string terminator)
    {
        var input = Encoding.ASCII.GetBytes(new string('a', Max + 1) + terminator + "ok\n");
        Framed[] expected = [Framed.TooLong, Framed.Of("ok")];

        Assert.Equal(expected, FramerDriver.Whole(Max, input).Outcomes);
        Assert.Equal(expected, FramerDriver.Bytewise(Max, input).Outcomes);
    }

    [Fact]
    public void A_far_over_long_line_followed_by_more_lines_in_the_same_buffer_loses_only_itself()
    {
        // The whole burst arrives in one read, as it does when a client pipes a file.
        var input = Encoding.ASCII.GetBytes(new string('x', 5 * Max) + "\nnext\nlast\n");
        Framed[] expected = [Framed.TooLong, Framed.Of("next"), Framed.Of("last")];

        Assert.Equal(expected, FramerDriver.Whole(Max, input).Outcomes);
        Assert.Equal(expected, FramerDriver.Bytewise(Max, input).Outcomes);
    }

    [Fact]
    public void A_line_over_the_limit_that_arrives_whole_is_consumed_without_discarding_what_follows()
    {
        var framer = new LineFramer(Max);
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('x', Max + 1) + "\nok"));

        Assert.Equal(LineStatus.TooLong, framer.TryRead(ref buffer, out _));
        Assert.False(framer.IsDiscarding);
        Assert.Equal("ok", Encoding.ASCII.GetString(buffer.ToArray()));
    }

    [Fact]
    public void An_unterminated_over_long_stream_never_buffers_beyond_the_limit()
    {
        var framer = new LineFramer(Max);
        var chunk = Encoding.ASCII.GetBytes("0123456");
        var chunks = Enumerable.Repeat(chunk, 200).ToList();

        var run = FramerDriver.Run(framer, chunks);

        Assert.Equal([Framed.TooLong], run.Outcomes);
        Assert.True(run.MaxPending <= Max + 1, $"held {run.MaxPending} bytes");
        Assert.Empty(run.Leftover);
        Assert.True(framer.IsDiscarding);

        var after = FramerDriver.Run(framer, [Encoding.ASCII.GetBytes("tail of the long one\nok\n")]);
        Assert.Equal([Framed.Of("ok")], after.Outcomes);
        Assert.False(framer.IsDiscarding);
    }

    [Fact]
    public void Too_long_consumes_the_whole_buffer_when_no_newline_has_arrived()
    {
        var framer = new LineFramer(Max);
        var buffer = Segments.Split(new byte[Max + 2], 5, 11);

        Assert.Equal(LineStatus.TooLong, framer.TryRead(ref buffer, out _));
        Assert.True(buffer.IsEmpty);
        Assert.True(framer.IsDiscarding);
    }

    [Fact]
    public void Limit_plus_a_carriage_return_waits_for_the_newline()
    {
        // "limit bytes + \r" may still become a legal line, so it must not be rejected early.
        var framer = new LineFramer(Max);
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('a', Max) + "\r"));

        Assert.Equal(LineStatus.NeedMore, framer.TryRead(ref buffer, out _));
        Assert.Equal(Max + 1, buffer.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void Outcomes_match_the_reference_rules_around_the_limit(int max)
    {
        // Every line length from 0 to 3 × limit, with and without '\r', in one input.
        var sb = new StringBuilder();
        for (var length = 0; length <= 3 * max; length++)
        {
            sb.Append('a', length).Append('\n');
            sb.Append('b', length).Append("\r\n");
        }

        sb.Append('c', max + 1);
        var input = Encoding.ASCII.GetBytes(sb.ToString());
        var (expected, pending) = ReferenceFramer.Frame(input, max);

        foreach (var run in new[] { FramerDriver.Whole(max, input), FramerDriver.Bytewise(max, input) })
        {
            Assert.Equal(expected, run.Outcomes);
            Assert.Equal(pending, run.Leftover);
        }
    }

    [Fact]
    public void The_limit_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LineFramer(0));
        Assert.Equal(1, new LineFramer(1).MaxLineBytes);
    }
}
