using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Parley.Cli;

/// <summary>
/// Where a setting comes from, first match wins: the command-line flag, the environment variable
/// (PARLEY_ + the flag in upper case, dashes as underscores: --max-clients → PARLEY_MAX_CLIENTS),
/// the JSON config file (the flag without dashes as key: "max-clients"), the built-in default.
/// </summary>
internal sealed class Settings(ParseResult parse, IConfiguration configuration)
{
    public static Settings Load(ParseResult parse, string? configFile)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }
        else if (File.Exists("parley.json"))
        {
            builder.AddJsonFile(Path.GetFullPath("parley.json"), optional: true);
        }

        builder.AddEnvironmentVariables("PARLEY_");
        return new Settings(parse, builder.Build());
    }

    /// <summary>
    /// A repeatable option: every flag given (each may be a comma list), else the environment variable
    /// or config string as a comma list, else a config-file JSON array.
    /// </summary>
    public IReadOnlyList<string> GetList(Option<string[]> option)
    {
        if (parse.GetResult(option) is { Implicit: false })
        {
            return Split(parse.GetValue(option) ?? []);
        }

        var key = option.Name.TrimStart('-');
        if ((configuration[key] ?? configuration[key.Replace('-', '_')]) is { } raw)
        {
            return Split([raw]);
        }

        return Split([.. configuration.GetSection(key).GetChildren().Select(c => c.Value ?? string.Empty)]);
    }

    private static string[] Split(IEnumerable<string> values) =>
        [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    public T Get<T>(Option<T> option)
    {
        if (parse.GetResult(option) is { Implicit: false })
        {
            return parse.GetValue(option)!;
        }

        var key = option.Name.TrimStart('-');
        var raw = configuration[key] ?? configuration[key.Replace('-', '_')];
        if (raw is null)
        {
            return parse.GetValue(option)!;
        }

        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        try
        {
            return (T)Convert.ChangeType(raw, type, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            throw new SettingsException($"Setting '{key}' has the value '{raw}', which is not a valid {type.Name}");
        }
    }
}
