using System.Text.Json;
using Parley.Testing;

namespace Parley.Bench.Tests;

/// <summary>Fan-out and latency runs against the real server: the accounting must come out exact.</summary>
public sealed class FanoutTests
{
    [Theory]
    [InlineData(BenchProtocol.Text)]
    [InlineData(BenchProtocol.Json)]
    public async Task Unthrottled_fanout_delivers_every_message_to_every_other_client_once(BenchProtocol protocol)
    {
        await using var server = await TestServer.StartAsync();
        var result = await BenchRunner.RunAsync(BenchTestOptions.Fanout(server.ChatEndPoint.Port, protocol, receivers: 20, senders: 3, messages: 300));

        Assert.Equal(BenchOutcome.Completed, result.Outcome);
        Assert.Equal(23, result.Registered);
        Assert.Equal(23, result.Verified);
        Assert.Equal(300, result.Sent);
        Assert.Equal(300L * 22, result.Expected);
        Assert.Equal(result.Expected, result.Delivered);
        Assert.Equal(0, result.Lost);
        Assert.Equal(0, result.Duplicates);
        Assert.Equal(0, result.Garbled);
        Assert.Equal(0, result.NameMismatches);
        Assert.Equal(0, result.Foreign);
        Assert.Equal(0, result.RateLimited);
        Assert.Equal(0, result.Dropped);
        Assert.Equal(300, result.SelfEchoes); // Parley shows senders their own lines; not deliveries
        Assert.Equal(result.Delivered, result.Latency!.Count);
        Assert.False(result.Stalled);
        Assert.False(result.TimedOut);
        Assert.Null(result.Lag);
    }

    [Fact]
    public async Task Latency_run_paces_messages_and_reports_lag_latency_and_warmup()
    {
        await using var server = await TestServer.StartAsync();
        var options = BenchTestOptions.Fanout(server.ChatEndPoint.Port, BenchProtocol.Text, receivers: 10, senders: 1, messages: 100, rate: 400);
        options.Warmup = TimeSpan.FromMilliseconds(100);
        var result = await BenchRunner.RunAsync(options);

        Assert.Equal(BenchOutcome.Completed, result.Outcome);
        Assert.Equal(1000, result.Delivered);
        Assert.Equal(0, result.Lost);
        Assert.Equal(100, result.Lag!.Count);
        Assert.Equal(1000, result.Latency!.Count);
        Assert.True(result.Latency.P50 <= result.Latency.P99 && result.Latency.P99 <= result.Latency.Max);
        Assert.Equal(40, result.WarmupMessages);
        Assert.Equal(400, result.WarmupDelivered);
    }

    [Fact]
    public async Task Json_output_parses_and_has_the_documented_keys()
    {
        await using var server = await TestServer.StartAsync();
        var options = BenchTestOptions.Fanout(server.ChatEndPoint.Port, BenchProtocol.Json, receivers: 5, senders: 1, messages: 50, rate: 1000);
        options.ServerPid = Environment.ProcessId;
        var result = await BenchRunner.RunAsync(options);

        using var json = JsonDocument.Parse(BenchReport.ToJson(result));
        var root = json.RootElement;
        Assert.Equal("latency", root.GetProperty("scenario").GetString());
        Assert.Equal("json", root.GetProperty("proto").GetString());
        Assert.Equal("completed", root.GetProperty("outcome").GetString());
        Assert.Equal(250, root.GetProperty("expected").GetInt64());
        Assert.Equal(250, root.GetProperty("delivered").GetInt64());
        Assert.Equal(0, root.GetProperty("lost").GetInt64());
        foreach (var key in new[] { "dup", "garbled", "deliv_per_s", "msgs_per_s", "wall_s", "lat_p50_us", "lat_p90_us", "lat_p99_us", "lat_p999_us", "lat_max_us", "lag_p99_us", "srv_cpu_s", "srv_rss_after_kib", "srv_hwm_kib", "cli_cpu_s", "connect_s", "reg_p99_ms" })
        {
            Assert.True(root.TryGetProperty(key, out var value), $"missing key {key}");
            Assert.Equal(JsonValueKind.Number, value.ValueKind);
        }

        Assert.Contains("deliveries/s", BenchReport.ToTable(result), StringComparison.Ordinal);
    }
}
