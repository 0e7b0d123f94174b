using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.Cli;

/// <summary>Sizes (<c>100MiB</c>, <c>2G</c>, <c>512k</c>, plain bytes) and durations (<c>7d</c>, <c>12h</c>, <c>30m</c>, <c>45s</c>) in settings.</summary>
internal static partial class Units
{
    public static long ParseSize(string text, string setting)
    {
        var match = SizePattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new ArgumentException($"{setting} must be a size such as 100MiB, 2GiB or 500000 (bytes), not '{text}'");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var factor = char.ToUpperInvariant(match.Groups[2].Value.FirstOrDefault()) switch
        {
            'K' => 1L << 10,
            'M' => 1L << 20,
            'G' => 1L << 30,
            'T' => 1L << 40,
            _ => 1L,
        };
        return checked((long)(value * factor));
    }

    public static TimeSpan ParseDuration(string text, string setting)
    {
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new ArgumentException($"{setting} must be a duration such as 7d, 12h, 30m or 45s, not '{text}'");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value.ToLowerInvariant() switch
        {
            "d" => TimeSpan.FromDays(value),
            "h" => TimeSpan.FromHours(value),
            "m" => TimeSpan.FromMinutes(value),
            _ => TimeSpan.FromSeconds(value),
        };
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([kKmMgGtT](?:i?[bB])?|[bB])?$")]
    private static partial Regex SizePattern();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([dDhHmMsS])?$")]
    private static partial Regex DurationPattern();
}
