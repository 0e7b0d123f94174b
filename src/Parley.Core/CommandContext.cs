namespace Parley.Core;

/// <summary>What a command handler gets: who asked, with which arguments (already counted by the dispatcher).</summary>
public sealed record CommandContext(Hub Hub, Session Session, IReadOnlyList<string> Args, string? Color)
{
    public string Arg(int index) => Args[index];
}
