using System.Globalization;
using System.Text;

namespace Parley.Cli.Chat;

/// <summary>
/// Text on its way to a terminal. Whatever the server sends is shown, never obeyed: control
/// characters become visible escapes (ESC as <c>^[</c>, C1 and bidi controls as <c>&lt;U+202E&gt;</c>),
/// so no message can move the cursor, recolour the screen or reverse a line. Also measures how
/// many columns text takes, which the line editor needs to keep the cursor where it belongs.
/// </summary>
internal static class TerminalText
{
    public static string Escape(string text)
    {
        var i = 0;
        while (i < text.Length && !NeedsEscape(text[i]))
        {
            i++;
        }

        if (i == text.Length)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8);
        sb.Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                sb.Append('\ufffd'); // half a pair cannot be printed
            }
            else if (c < ' ')
            {
                sb.Append('^').Append((char)(c + '@'));
            }
            else if (c == '\u007f')
            {
                sb.Append("^?");
            }
            else if (NeedsEscape(c))
            {
                sb.Append("<U+").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)).Append('>');
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Columns <paramref name="text"/> takes on a terminal (wide East Asian and emoji count 2, combining marks 0).</summary>
    public static int Width(ReadOnlySpan<char> text)
    {
        var width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            width += Width(rune);
        }

        return width;
    }

    public static int Width(Rune rune)
    {
        var value = rune.Value;
        if (value < 0x20 || value is >= 0x7f and < 0xa0)
        {
            return 0;
        }

        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
        {
            return 0;
        }

        return IsWide(value) ? 2 : 1;
    }

    private static bool NeedsEscape(char c) =>
        c < ' ' || c is '\u007f' || (c >= '\u0080' && c <= '\u009f')
        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
        || c is '\u2028' or '\u2029' || char.IsSurrogate(c);

    // The wide ranges of Unicode's East Asian Width property that terminals actually draw two cells wide.
    private static bool IsWide(int c) =>
        c is (>= 0x1100 and <= 0x115f) or (>= 0x2e80 and <= 0x303e) or (>= 0x3041 and <= 0x33ff)
            or (>= 0x3400 and <= 0x4dbf) or (>= 0x4e00 and <= 0x9fff) or (>= 0xa000 and <= 0xa4cf)
            or (>= 0xac00 and <= 0xd7a3) or (>= 0xf900 and <= 0xfaff) or (>= 0xfe30 and <= 0xfe4f)
            or (>= 0xff00 and <= 0xff60) or (>= 0xffe0 and <= 0xffe6) or (>= 0x1f300 and <= 0x1f64f)
            or (>= 0x1f900 and <= 0x1f9ff) or (>= 0x1fa70 and <= 0x1faff) or (>= 0x20000 and <= 0x3fffd);
}
