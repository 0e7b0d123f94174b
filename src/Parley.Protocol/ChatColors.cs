namespace Parley.Protocol;

/// <summary>The colours a message may carry (<c>/color</c>); anything else is refused.</summary>
public static class ChatColors
{
    public static IReadOnlyList<string> All { get; } = ["red", "green", "yellow", "blue", "magenta", "cyan", "white"];

    /// <summary>The canonical (lower-case) colour name, or null when it is not one of <see cref="All"/>.</summary>
    public static string? Normalize(string? color)
    {
        if (color is null)
        {
            return null;
        }

        foreach (var known in All)
        {
            if (string.Equals(known, color, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return null;
    }
}
