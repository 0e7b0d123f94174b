namespace Parley.Protocol.Events;

/// <summary>The answer to <c>/who</c> (everyone online) or <c>/names</c> (one room's members).</summary>
public sealed record UsersEvent(IReadOnlyList<string> Users) : ServerEvent
{
    /// <summary>Set for <c>/names</c>: whose members these are.</summary>
    public string? Room { get; init; }

    /// <summary>Set when the list is paged (a large room): the page shown (1-based), of <see cref="Pages"/>.</summary>
    public int? Page { get; init; }

    public int? Pages { get; init; }

    /// <summary>Set when the list is paged: how many names there are in all.</summary>
    public int? UserCount { get; init; }
}
