namespace Parley.Cli.Chat;

/// <summary>
/// Turns tones into ANSI colours, or into nothing when colour is off (NO_COLOR, --no-color, output
/// not a terminal). Sixteen-colour codes only, except private messages received: orange needs the
/// 256-colour palette, which every terminal emulator in use today has.
/// </summary>
internal sealed class Palette(bool enabled)
{
    private const string Reset = "\u001b[0m";

    public bool Enabled => enabled;

    /// <summary>Whether to colour: only for a terminal, and never when NO_COLOR is set to anything or TERM is dumb.</summary>
    public static bool ShouldColor(bool noColorFlag, bool outputIsTerminal, Func<string, string?> environment) =>
        !noColorFlag
        && outputIsTerminal
        && string.IsNullOrEmpty(environment("NO_COLOR"))
        && !string.Equals(environment("TERM"), "dumb", StringComparison.Ordinal);

    public static string Code(Tone tone) => tone switch
    {
        Tone.System => "\u001b[90m",
        Tone.Server => "\u001b[31m",
        Tone.Own => "\u001b[34m",
        Tone.Other => "\u001b[32m",
        Tone.PrivateSent => "\u001b[35m",
        Tone.PrivateReceived => "\u001b[38;5;208m",
        Tone.Error => "\u001b[1;31m",
        Tone.History => "\u001b[2;37m",
        Tone.Red => "\u001b[31m",
        Tone.Green => "\u001b[32m",
        Tone.Yellow => "\u001b[33m",
        Tone.Blue => "\u001b[34m",
        Tone.Magenta => "\u001b[35m",
        Tone.Cyan => "\u001b[36m",
        Tone.White => "\u001b[37m",
        _ => "",
    };

    /// <summary>The tone for a message's <c>color</c> field; null when it has none or one this client does not know.</summary>
    public static Tone? ForMessageColor(string? color) => color switch
    {
        "red" => Tone.Red,
        "green" => Tone.Green,
        "yellow" => Tone.Yellow,
        "blue" => Tone.Blue,
        "magenta" => Tone.Magenta,
        "cyan" => Tone.Cyan,
        "white" => Tone.White,
        _ => null,
    };

    public string Paint(ScreenLine line)
    {
        if (!enabled)
        {
            return line.Text;
        }

        var sb = new System.Text.StringBuilder();
        foreach (var piece in line.Pieces)
        {
            var code = Code(piece.Tone);
            if (code.Length == 0)
            {
                sb.Append(piece.Text);
            }
            else
            {
                sb.Append(code).Append(piece.Text).Append(Reset);
            }
        }

        return sb.ToString();
    }
}
