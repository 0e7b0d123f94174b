using System.Text;

namespace Parley.Protocol;

/// <summary>
/// Turns whatever name a sender offers into one that is safe to show, to put in a URL path segment and
/// to create on any receiver's disk: no directories (only the last path segment survives), no control
/// or bidi characters, no characters Windows refuses, no reserved device names (CON, NUL, COM1, ...),
/// no leading dots or trailing dots/spaces, and at most <see cref="MaxLength"/> UTF-16 units with the
/// extension kept. Receivers apply it again: a name from the wire is never trusted.
/// </summary>
public static class FileNameRules
{
    public const int MaxLength = 120;
    public const string Fallback = "file";

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    public static string Sanitize(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return Fallback;
        }

        // Only the last segment, whichever separator the sender's system uses.
        var last = name.Replace('\\', '/');
        var slash = last.LastIndexOf('/');
        if (slash >= 0)
        {
            last = last[(slash + 1)..];
        }

        var clean = TextSanitizer.Clean(last);
        var sb = new StringBuilder(clean.Length);
        foreach (var c in clean)
        {
            sb.Append(c is '<' or '>' or ':' or '"' or '|' or '?' or '*' or '\0' || char.IsControl(c) ? '_' : c);
        }

        var result = sb.ToString().Trim().TrimStart('.').TrimEnd('.', ' ');
        if (result.Length == 0)
        {
            return Fallback;
        }

        var dot = result.LastIndexOf('.');
        var stem = dot > 0 ? result[..dot] : result;
        var extension = dot > 0 ? result[dot..] : string.Empty;
        if (extension.Length > 16)
        {
            stem = result;
            extension = string.Empty;
        }

        // "CON", "con.txt" and "COM1.tar.gz" open devices on Windows whatever follows the first dot.
        var firstDot = stem.IndexOf('.');
        if (Reserved.Contains(firstDot > 0 ? stem[..firstDot] : stem))
        {
            stem = "_" + stem;
        }

        if (stem.Length + extension.Length > MaxLength)
        {
            var keep = MaxLength - extension.Length;
            if (char.IsHighSurrogate(stem[keep - 1]))
            {
                keep--;
            }

            stem = stem[..keep].TrimEnd('.', ' ');
        }

        return stem + extension;
    }
}
