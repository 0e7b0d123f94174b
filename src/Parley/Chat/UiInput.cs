using Parley.Client;
using Parley.Protocol.Events;

namespace Parley.Cli.Chat;

/// <summary>
/// Everything the chat UI loop reacts to, from every source (keyboard, standard input, signals, the
/// server), merged into one queue so that only one thread ever changes state or draws.
/// </summary>
internal abstract record UiInput
{
    internal sealed record Key(ConsoleKeyInfo Info) : UiInput;

    /// <summary>A whole line from standard input when it is not a terminal.</summary>
    internal sealed record Line(string Text) : UiInput;

    /// <summary>Standard input is exhausted (end of a pipe or file).</summary>
    internal sealed record InputEnded : UiInput;

    /// <summary>Ctrl+C, SIGTERM or SIGHUP.</summary>
    internal sealed record Interrupted : UiInput;

    /// <summary>The terminal changed size (SIGWINCH): the input row is redrawn for the new width.</summary>
    internal sealed record Resized : UiInput;

    internal sealed record FromServer(ChatClient Client, ServerEvent Event) : UiInput;

    /// <summary>Work from a background task (file transfer progress and results) that must run on the UI loop.</summary>
    internal sealed record Run(Action Action) : UiInput;

    internal sealed record ConnectionEnded(ChatClient Client, Disconnection End) : UiInput;
}
