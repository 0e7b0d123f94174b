namespace Parley.Cli.Chat;

/// <summary>What a key press did to the <see cref="LineEditor"/>.</summary>
internal enum EditResult
{
    None,
    Changed,
    Submitted,

    /// <summary>Ctrl+D on an empty line: the user is done.</summary>
    EndOfInput,
    ClearScreen,

    /// <summary>Tab found several completions: show <see cref="LineEditor.Candidates"/>.</summary>
    ShowCandidates,
}
