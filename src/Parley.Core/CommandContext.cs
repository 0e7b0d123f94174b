using Parley.Protocol;

namespace Parley.Core;

/// <summary>What a command handler gets: who asked, with which arguments (already counted by the dispatcher).</summary>
public sealed record CommandContext(Hub Hub, Session Session, IReadOnlyList<string> Args, string? Color)
{
    /// <summary>The JSON request behind the command, for its extra fields (<c>room</c>, <c>before</c>, <c>limit</c>); null for typed commands.</summary>
    public ClientRequest? Request { get; init; }

    public string Arg(int index) => Args[index];

    public string? OptionalArg(int index) => index < Args.Count ? Args[index] : null;
}
