namespace Parley.Protocol.Events;

/// <summary>The answer to <c>/who</c> (everyone online) or <c>/names</c> (one room's members).</summary>
public sealed record UsersEvent(IReadOnlyList<string> Users) : ServerEvent
{
    /// <summary>Set for <c>/names</c>: whose members these are.</summary>
    public string? Room { get; init; }
}
