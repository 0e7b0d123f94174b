namespace Parley.Core;

/// <summary>A banned name; <see cref="Until"/> null means for good.</summary>
public sealed record BanRecord(string Name, DateTimeOffset? Until, string By)
{
    public bool IsActive(DateTimeOffset now) => Until is not { } until || until > now;
}
