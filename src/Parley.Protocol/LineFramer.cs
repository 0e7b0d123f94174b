using System.Buffers;

namespace Parley.Protocol;

/// <summary>
/// Splits a byte stream into <c>\n</c>-terminated lines (a trailing <c>\r</c> is dropped) with a hard
/// limit per line. One instance per connection: after an over-long line it remembers to discard the
/// rest of that line, so a client can never make the server buffer more than the limit.
/// </summary>
public sealed class LineFramer
{
    private readonly int _maxLineBytes;
    private bool _discarding;

    public LineFramer(int maxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _maxLineBytes = maxLineBytes;
    }

    public int MaxLineBytes => _maxLineBytes;

    /// <summary>True while the tail of an over-long line is being skipped.</summary>
    public bool IsDiscarding => _discarding;

    public LineStatus TryRead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        line = default;
        if (_discarding)
        {
            var end = buffer.PositionOf((byte)'\n');
            if (end is null)
            {
                buffer = buffer.Slice(buffer.End);
                return LineStatus.NeedMore;
            }

            buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
            _discarding = false;
        }

        // Only look as far as a legal line can reach (content + "\r\n"); anything longer is an error
        // whether or not its newline has arrived.
        var window = buffer.Length > _maxLineBytes + 2 ? buffer.Slice(0, _maxLineBytes + 2) : buffer;
        var newline = window.PositionOf((byte)'\n');
        if (newline is null)
        {
            if (buffer.Length > _maxLineBytes + 1)
            {
                // Skip only what was inspected: the line's newline and any lines after it may
                // already be in the buffer, and the discarding branch finds them on the next call.
                buffer = buffer.Slice(window.End);
                _discarding = true;
                return LineStatus.TooLong;
            }

            return LineStatus.NeedMore;
        }

        var content = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        if (content.Length > 0 && EndsWithCarriageReturn(content))
        {
            content = content.Slice(0, content.Length - 1);
        }

        if (content.Length > _maxLineBytes)
        {
            return LineStatus.TooLong;
        }

        line = content;
        return LineStatus.Line;
    }

    private static bool EndsWithCarriageReturn(in ReadOnlySequence<byte> content)
    {
        var last = content.Slice(content.Length - 1);
        return last.FirstSpan[0] == (byte)'\r';
    }
}
