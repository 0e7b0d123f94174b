namespace Parley.Core.Tests;

public sealed class MemoryStoreLimitTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_store_keeps_about_its_newest_limit_and_every_waiting_private_message()
    {
        var store = new MemoryMessageStore(maxMessages: 100);
        for (var i = 1; i <= 2000; i++)
        {
            // Every 50th is a private message waiting for carol, which no trim may drop.
            var message = i % 50 == 0
                ? new StoredMessage(0, T0.AddSeconds(i), null, "bob", "carol", $"pm {i}", null) { Pending = true }
                : new StoredMessage(0, T0.AddSeconds(i), "#general", "bob", null, $"line {i}", null);
            Assert.Equal(i, Assert.Single(store.Append([message])));

            var kept = store.History("#general", null, int.MaxValue);
            Assert.InRange(kept.Count, Math.Min(i - (i / 50), 60), 126);
            Assert.Equal(i % 50 == 0 ? i - 1 : i, kept[^1].Id);
        }

        var waiting = store.TakePending("carol");
        Assert.Equal(Enumerable.Range(1, 40).Select(n => $"pm {n * 50}"), waiting.Select(m => m.Content));
    }

    [Fact]
    public void No_limit_keeps_everything()
    {
        var store = new MemoryMessageStore(maxMessages: 0);
        store.Append([.. Enumerable.Range(0, 5000).Select(i => new StoredMessage(0, T0, "#general", "bob", null, $"m{i}", null))]);
        Assert.Equal(5000, store.History("#general", null, int.MaxValue).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryMessageStore(-1));
    }
}
