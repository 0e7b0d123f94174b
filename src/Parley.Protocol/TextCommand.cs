namespace Parley.Protocol;

/// <summary>
/// A slash command typed in text mode, e.g. <c>/msg bob hello there</c>: a name and the rest of the
/// line. Splitting the rest into arguments needs to know how many the command takes (the last one
/// keeps its spaces), so it is done by <see cref="SplitArguments"/> once the command is known.
/// </summary>
public readonly record struct TextCommand(string Name, string Rest)
{
    /// <summary>Parses a line starting with '/'. The name is lower-cased; "/" alone has an empty name.</summary>
    public static bool TryParse(string line, out TextCommand command)
    {
        command = default;
        if (line.Length == 0 || line[0] != '/')
        {
            return false;
        }

        var end = 1;
        while (end < line.Length && !char.IsWhiteSpace(line[end]))
        {
            end++;
        }

        var name = line[1..end].ToLowerInvariant();
        var rest = end < line.Length ? line[(end + 1)..].TrimStart() : string.Empty;
        command = new TextCommand(name, rest);
        return true;
    }

    /// <summary>
    /// Splits <paramref name="rest"/> on white space into at most <paramref name="maxArguments"/>
    /// arguments; the last one takes the remainder of the line unchanged (inner spaces kept).
    /// </summary>
    public static string[] SplitArguments(string rest, int maxArguments)
    {
        if (maxArguments <= 0 || string.IsNullOrWhiteSpace(rest))
        {
            return [];
        }

        var args = new List<string>(maxArguments);
        var i = 0;
        while (i < rest.Length && args.Count < maxArguments)
        {
            while (i < rest.Length && char.IsWhiteSpace(rest[i]))
            {
                i++;
            }

            if (i >= rest.Length)
            {
                break;
            }

            if (args.Count == maxArguments - 1)
            {
                args.Add(rest[i..].TrimEnd());
                break;
            }

            var start = i;
            while (i < rest.Length && !char.IsWhiteSpace(rest[i]))
            {
                i++;
            }

            args.Add(rest[start..i]);
        }

        return [.. args];
    }
}
