namespace Parley.Core;

/// <summary>
/// One row of the command table. The dispatcher checks <see cref="RequiresJoin"/> and
/// <see cref="MinArgs"/> before <see cref="Handler"/> runs, so handlers never repeat those checks.
/// </summary>
public sealed record CommandDefinition(
    string Name,
    string Usage,
    string Description,
    int MinArgs,
    int MaxArgs,
    Action<CommandContext> Handler)
{
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public bool RequiresJoin { get; init; } = true;

    /// <summary>Unmetered commands skip flood control: leaving must always be possible.</summary>
    public bool Unmetered { get; init; }

    /// <summary>
    /// The command's result goes through the store (a message), which already keeps it in order; other
    /// commands wait behind the session's messages still being stored, so replies keep request order.
    /// </summary>
    public bool Stored { get; init; }

    /// <summary>
    /// Runs at once even while the session's messages are still being stored, because its slow part (a password
    /// hash) must not run on the store's writer thread, where it would hold up everyone's deliveries; the
    /// handler puts its reply in order itself (<see cref="Hub.InOrder"/>).
    /// </summary>
    public bool Immediate { get; init; }

    /// <summary>
    /// The command reads the store (history, search), which may take long on a big history: it never runs on the
    /// store's writer thread, where it would hold up everyone's deliveries. It waits for the session's messages
    /// still being stored (so its answer includes them), then runs on one of the hub's reader threads
    /// (<see cref="HubOptions.QueryThreads"/>); the session's later requests wait for its answer.
    /// </summary>
    public bool Reads { get; init; }

    /// <summary>Hidden commands work but are left out of <c>/help</c>.</summary>
    public bool Hidden { get; init; }
}
