namespace Parley.Core;

/// <summary>One address's (or one exempt session's) flood record; guarded by locking the instance.</summary>
internal sealed class FloodState(TokenBucket? addressBucket)
{
    public TokenBucket? AddressBucket { get; } = addressBucket;

    public int Strikes { get; set; }

    public int Mutes { get; set; }

    public long LastStrike { get; set; } = long.MinValue;

    public long MutedUntil { get; set; } = long.MinValue;

    public long LastUsed { get; set; }
}
