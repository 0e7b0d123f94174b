namespace Parley.Cli.Chat;

/// <summary>What a piece of a screen line is, which decides its colour (see <see cref="Palette"/>).</summary>
internal enum Tone
{
    Plain,
    System,
    Server,
    Own,
    Other,
    PrivateSent,
    PrivateReceived,
    Error,

    /// <summary>Replayed history and search results (grey).</summary>
    History,

    // The colours a message may carry (/color), for its text.
    Red,
    Green,
    Yellow,
    Blue,
    Magenta,
    Cyan,
    White,
}
