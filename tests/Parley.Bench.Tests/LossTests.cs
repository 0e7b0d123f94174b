using Parley.Testing;

namespace Parley.Bench.Tests;

/// <summary>What goes missing must be counted as missing: kicked receivers, flood control, refusals.</summary>
public sealed class LossTests
{
    [Fact]
    public async Task A_kicked_receiver_shows_up_as_lost_deliveries_and_one_disconnect()
    {
        await using var server = await TestServer.StartAsync();
        // A member outside the run: the hub hands every message to all members at once, so when the watcher has
        // 30 of them, so does k2's queue (counting accepted messages instead raced the store's writer under load).
        await using var watcher = await server.JoinJsonAsync("watcher");
        var options = BenchTestOptions.Fanout(server.ChatEndPoint.Port, BenchProtocol.Text, receivers: 4, senders: 1, messages: 300, rate: 300);
        options.NamePrefix = "k";
        var running = BenchRunner.RunAsync(options);
        for (var i = 0; i < 30; i++)
        {
            await watcher.ExpectTypeAsync("message", m => m.GetProperty("content").GetString()!.StartsWith("~pb~M", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        }

        Assert.True(server.Hub.Kick("k2", "bench test"));
        var result = await running;

        Assert.Equal(BenchOutcome.Completed, result.Outcome);
        Assert.Equal(1, result.Dropped);
        Assert.Equal("EOF", result.FirstDrop);
        Assert.InRange(result.Lost!.Value, 1, 300 - 25);
        Assert.Equal(result.Expected - result.Lost, result.Delivered);
        Assert.Equal(0, result.Duplicates);
        Assert.Equal(0, result.Garbled);
        Assert.False(result.Stalled); // the run does not wait for a client that is gone
    }

    [Fact]
    public async Task Flood_control_is_reported_as_rate_limited_and_lost()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.RateLimit = 5);
        var options = BenchTestOptions.Fanout(server.ChatEndPoint.Port, BenchProtocol.Text, receivers: 2, senders: 1, messages: 40);
        options.Drain = TimeSpan.FromMilliseconds(500);
        var result = await BenchRunner.RunAsync(options);

        Assert.Equal(BenchOutcome.Completed, result.Outcome);
        Assert.True(result.RateLimited >= 1);
        Assert.True(result.Lost > 0);
        Assert.True(result.Stalled);
    }

    [Fact]
    public async Task A_server_that_refuses_a_client_fails_the_setup_with_its_reason()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.MaxClients = 3);
        var result = await BenchRunner.RunAsync(BenchTestOptions.Fanout(server.ChatEndPoint.Port, BenchProtocol.Text, receivers: 3, senders: 1, messages: 10));

        Assert.Equal(BenchOutcome.SetupFailed, result.Outcome);
        Assert.Equal(3, result.Registered);
        Assert.Equal(1, result.Failed);
        Assert.Equal(1, result.FailReasons["SERVER_ERROR"]);
        Assert.Contains("server full", result.ServerError, StringComparison.Ordinal);
        Assert.Null(result.Delivered);
    }

    [Fact]
    public async Task Nothing_listening_fails_every_connection_with_econnrefused()
    {
        var result = await BenchRunner.RunAsync(BenchTestOptions.Fanout(BenchTestOptions.ClosedPort(), BenchProtocol.Json, receivers: 3, senders: 1, messages: 10));

        Assert.Equal(BenchOutcome.SetupFailed, result.Outcome);
        Assert.Equal(4, result.FailReasons["ECONNREFUSED"]);
        Assert.Contains("did not register", result.Error, StringComparison.Ordinal);
    }
}
