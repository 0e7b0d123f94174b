using Parley.Cli.Chat;

namespace Parley.Client.Tests;

public sealed class BackoffTests
{
    [Fact]
    public void Doubles_up_to_the_cap_and_starts_over_after_a_reset()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), () => 0);

        var delays = Enumerable.Range(0, 7).Select(_ => backoff.Next().TotalSeconds).ToList();
        Assert.Equal([1, 2, 4, 8, 16, 30, 30], delays);
        Assert.Equal(7, backoff.Attempt);

        backoff.Reset();
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next());
    }

    [Fact]
    public void Jitter_stretches_each_delay_by_at_most_a_fifth()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), () => 1);

        Assert.Equal(TimeSpan.FromSeconds(1.2), backoff.Next());
        Assert.Equal(TimeSpan.FromSeconds(2.4), backoff.Next());
    }
}
