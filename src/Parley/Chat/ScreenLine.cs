namespace Parley.Cli.Chat;

/// <summary>One line of chat output as coloured pieces. The text in it is already escaped for the terminal.</summary>
internal sealed record ScreenLine(IReadOnlyList<ScreenLine.Piece> Pieces)
{
    public static ScreenLine Of(Tone tone, string text) => new([new Piece(text, tone)]);

    /// <summary>The line without colour, as written to a pipe or a file.</summary>
    public string Text => string.Concat(Pieces.Select(p => p.Text));

    public override string ToString() => Text;

    internal sealed record Piece(string Text, Tone Tone);
}
