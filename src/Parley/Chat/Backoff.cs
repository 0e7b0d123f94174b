namespace Parley.Cli.Chat;

/// <summary>
/// Delays between reconnect attempts: doubling from the first to a cap, each stretched by up to 20 %
/// at random, so that the clients a restarting server dropped all at once do not return all at once.
/// </summary>
internal sealed class Backoff(TimeSpan first, TimeSpan max, Func<double> random)
{
    public int Attempt { get; private set; }

    public TimeSpan Next()
    {
        Attempt++;
        var doubled = first.TotalMilliseconds * Math.Pow(2, Math.Min(Attempt - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(doubled, max.TotalMilliseconds) * (1 + (0.2 * random())));
    }

    public void Reset() => Attempt = 0;
}
