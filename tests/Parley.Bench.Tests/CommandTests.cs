using System.Globalization;
using System.Text.Json;
using Parley.Testing;

namespace Parley.Bench.Tests;

/// <summary>`parley bench` as a process: options, JSON on stdout, exit codes.</summary>
public sealed class CommandTests
{
    [Fact]
    public async Task Fanout_with_json_prints_one_object_and_exits_zero()
    {
        await using var server = await TestServer.StartAsync();
        await using var bench = ParleyProcess.Start(["bench", "fanout", "--port", Port(server), "-r", "5", "-k", "2", "-m", "50", "--json", "--quiet", "--proto", "json"]);

        Assert.Equal(0, await bench.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        using var json = JsonDocument.Parse(bench.Output.Single(l => l.StartsWith('{')));
        Assert.Equal(300, json.RootElement.GetProperty("delivered").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("lost").GetInt64());
    }

    [Fact]
    public async Task Latency_prints_the_summary_table()
    {
        await using var server = await TestServer.StartAsync();
        await using var bench = ParleyProcess.Start(["bench", "latency", "--port", Port(server), "-r", "3", "-m", "50", "--rate", "500", "-q"]);

        Assert.Equal(0, await bench.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(bench.Output, l => l.Contains("latency µs", StringComparison.Ordinal) && l.Contains("p99", StringComparison.Ordinal));
        Assert.Contains(bench.Output, l => l.Contains("delivered", StringComparison.Ordinal) && l.Contains("150 of 150", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("fanout", 3)]
    [InlineData("connections", 1)]
    public async Task Setup_failures_have_their_exit_codes(string scenario, int exitCode)
    {
        await using var bench = ParleyProcess.Start(["bench", scenario, "--port", BenchTestOptions.ClosedPort().ToString(CultureInfo.InvariantCulture), "-q", scenario == "fanout" ? "-r" : "-n", "3"]);

        Assert.Equal(exitCode, await bench.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(bench.Output, l => l.Contains("ECONNREFUSED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_options_exit_with_two_and_say_why()
    {
        await using var bench = ParleyProcess.Start(["bench", "fanout", "--size", "5"]);

        Assert.Equal(2, await bench.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(bench.Output, l => l.Contains("--size must be between", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Source_addresses_are_used_round_robin()
    {
        await using var server = await TestServer.StartAsync();
        await using var bench = ParleyProcess.Start(["bench", "connections", "--port", Port(server), "-n", "6", "--hold", "0", "--source-ips", "127.0.0.2-127.0.0.3", "--json", "-q"]);

        Assert.Equal(0, await bench.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        using var json = JsonDocument.Parse(bench.Output.Single(l => l.StartsWith('{')));
        Assert.Equal(6, json.RootElement.GetProperty("verified").GetInt32());
    }

    [Theory]
    [InlineData("127.0.0.9-127.0.0.2")]
    [InlineData("10.0.0.1")]
    public async Task Bad_source_addresses_are_refused(string sources)
    {
        await using var bench = ParleyProcess.Start(["bench", "connections", "--source-ips", sources]);

        Assert.Equal(2, await bench.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(bench.Output, l => l.Contains("--source-ips", StringComparison.Ordinal));
    }

    private static string Port(TestServer server) => server.ChatEndPoint.Port.ToString(CultureInfo.InvariantCulture);
}
