namespace Parley.Cli.Chat;

/// <summary>What a line the user typed asks for (see <see cref="InputParser"/>).</summary>
internal abstract record UserAction
{
    internal sealed record Nothing : UserAction;

    internal sealed record Say(string Content, string? Color) : UserAction;

    internal sealed record Private(string Target, string Content, string? Color) : UserAction;

    /// <summary>
    /// Share the file at <paramref name="Path"/> in the current room, in <paramref name="Room"/>, or privately
    /// with <paramref name="Target"/> (at most one of the two is set).
    /// </summary>
    internal sealed record SendFile(string? Target, string Path, string? Room = null) : UserAction;

    /// <summary>Save the shared file with this id (the number shown with it).</summary>
    internal sealed record Accept(string Id) : UserAction;

    internal sealed record Who : UserAction;

    internal sealed record Ping : UserAction;

    internal sealed record Help : UserAction;

    internal sealed record Quit : UserAction;

    /// <summary>A command this client does not know, handed to the server as a text-mode command line.</summary>
    internal sealed record PassThrough(string Line) : UserAction;

    /// <summary>A mistake the client can explain without asking the server (wrong usage, unknown colour).</summary>
    internal sealed record Mistake(string Message) : UserAction;
}
