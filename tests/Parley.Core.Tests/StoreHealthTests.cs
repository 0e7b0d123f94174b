using Microsoft.Extensions.Logging;
using Parley.Testing;

namespace Parley.Core.Tests;

/// <summary>A full disk fails every batch: the operator hears it once, then once a minute, then once when it is over.</summary>
public sealed class StoreHealthTests
{
    [Fact]
    public void Failures_are_reported_once_then_every_minute_and_the_recovery_with_the_count()
    {
        var time = new ManualTimeProvider(HubHarness.Start);
        var logger = new ListLogger();
        var health = new StoreHealth(time, logger);
        var full = new IOException("database or disk is full.");

        health.Succeeded();
        health.Failed(full, 3);
        time.Advance(TimeSpan.FromSeconds(30));
        health.Failed(full, 2);
        Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Error, logger.Entries[0].Level);
        Assert.StartsWith("The message store cannot save messages: database or disk is full. Messages are refused", logger.Entries[0].Text, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(31));
        health.Failed(full, 1);
        Assert.Equal(2, logger.Entries.Count);
        Assert.StartsWith("The message store still cannot save messages (database or disk is full); 6 refused since", logger.Entries[1].Text, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(9));
        health.Succeeded();
        health.Succeeded();
        Assert.Equal(3, logger.Entries.Count);
        Assert.Equal((LogLevel.Warning, "The message store is saving again after 70 s; 6 messages were refused meanwhile"), logger.Entries[2]);
    }
}
