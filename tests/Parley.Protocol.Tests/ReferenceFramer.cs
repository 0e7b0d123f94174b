using System.Text;

namespace Parley.Protocol.Tests;

/// <summary>
/// The framing rules of DESIGN §3/§4 written the obvious way, over the whole input at once, to
/// compare <see cref="LineFramer"/> against: lines end in <c>\n</c>, one trailing <c>\r</c> is
/// dropped, a line over the limit is one TooLong, and an unterminated tail is TooLong as soon as it
/// cannot be a legal line any more (more than limit + <c>\r</c>).
/// </summary>
internal static class ReferenceFramer
{
    public static (List<Framed> Outcomes, byte[] Pending) Frame(byte[] input, int maxLineBytes)
    {
        var outcomes = new List<Framed>();
        var start = 0;
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] != (byte)'\n')
            {
                continue;
            }

            var content = input.AsSpan(start, i - start);
            if (content.Length > 0 && content[^1] == (byte)'\r')
            {
                content = content[..^1];
            }

            outcomes.Add(content.Length > maxLineBytes ? Framed.TooLong : new Framed(LineStatus.Line, Encoding.Latin1.GetString(content)));
            start = i + 1;
        }

        var tail = input[start..];
        if (tail.Length > maxLineBytes + 1)
        {
            outcomes.Add(Framed.TooLong);
            return (outcomes, []);
        }

        return (outcomes, tail);
    }
}
