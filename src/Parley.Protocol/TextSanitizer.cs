using System.Text;

namespace Parley.Protocol;

/// <summary>
/// Makes user-supplied text safe to show on someone else's terminal: ANSI/VT escape sequences,
/// C0/C1 control characters and Unicode bidi overrides are removed, and tabs and embedded line
/// breaks become spaces (a line break inside a JSON string must not forge a new line for a text
/// client).
/// </summary>
public static class TextSanitizer
{
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var i = 0;
        while (i < text.Length && !NeedsWork(text[i]))
        {
            i++;
        }

        if (i == text.Length)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        sb.Append(text, 0, i);
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\u001b')
            {
                i = SkipEscape(text, i);
                continue;
            }

            if (c is '\t' or '\n' or '\r')
            {
                sb.Append(' ');
            }
            else if (!NeedsWork(c))
            {
                sb.Append(c);
            }

            i++;
        }

        return sb.ToString();
    }

    /// <summary>True when <paramref name="text"/> contains nothing but white space (or nothing).</summary>
    public static bool IsBlank(string text) => string.IsNullOrWhiteSpace(text);

    private static bool NeedsWork(char c) =>
        c < ' ' || c is '\u007f' || (c >= '\u0080' && c <= '\u009f') || IsBidiControl(c);

    private static bool IsBidiControl(char c) =>
        (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');

    // Returns the index just after the escape sequence that starts at text[start] (an ESC).
    private static int SkipEscape(string text, int start)
    {
        var i = start + 1;
        if (i >= text.Length)
        {
            return i;
        }

        switch (text[i])
        {
            case '[':
                // CSI: parameter and intermediate bytes, then one final byte in @..~.
                i++;
                while (i < text.Length && (text[i] < '@' || text[i] > '~'))
                {
                    i++;
                }

                return Math.Min(i + 1, text.Length);
            case ']':
            case 'P':
            case '_':
            case '^':
                // OSC / DCS / APC / PM: up to BEL or ST (ESC \).
                i++;
                while (i < text.Length)
                {
                    if (text[i] == '\u0007')
                    {
                        return i + 1;
                    }

                    if (text[i] == '\u001b' && i + 1 < text.Length && text[i + 1] == '\\')
                    {
                        return i + 2;
                    }

                    i++;
                }

                return i;
            default:
                // nF/Fp/Fe/Fs: intermediate bytes (e.g. the '(' of ESC ( B, which `tput sgr0`
                // prints), then one final byte. Anything else after ESC is not part of a sequence
                // and stays, so a character outside the BMP is never cut in half.
                while (i < text.Length && text[i] is >= ' ' and <= '/')
                {
                    i++;
                }

                return i < text.Length && text[i] is >= '0' and <= '~' ? i + 1 : i;
        }
    }
}
