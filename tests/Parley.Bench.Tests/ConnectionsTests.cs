using Parley.Testing;

namespace Parley.Bench.Tests;

public sealed class ConnectionsTests
{
    [Theory]
    [InlineData(BenchProtocol.Text)]
    [InlineData(BenchProtocol.Json)]
    public async Task Every_connection_registers_is_verified_by_the_probe_and_held(BenchProtocol protocol)
    {
        await using var server = await TestServer.StartAsync();
        var options = BenchTestOptions.Connections(server.ChatEndPoint.Port, protocol, count: 60);
        options.ServerPid = Environment.ProcessId;
        var result = await BenchRunner.RunAsync(options);

        Assert.Equal(BenchOutcome.Completed, result.Outcome);
        Assert.Equal(60, result.Connected);
        Assert.Equal(60, result.Registered);
        Assert.Equal(60, result.Verified);
        Assert.Equal(0, result.Failed);
        Assert.Equal(0, result.Dropped);
        Assert.True(result.ConnectSeconds > 0);
        Assert.NotNull(result.RegisterMsP99);
        Assert.NotNull(result.KibPerConnection);
        Assert.True(result.ServerHwmKib >= result.ServerRssAfterKib);
        await server.WaitForUsersAsync(0); // the run closes what it opened
    }

    [Fact]
    public async Task Connections_beyond_the_servers_limit_make_the_run_incomplete()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.MaxClients = 5);
        var result = await BenchRunner.RunAsync(BenchTestOptions.Connections(server.ChatEndPoint.Port, BenchProtocol.Text, count: 8));

        Assert.Equal(BenchOutcome.Incomplete, result.Outcome);
        Assert.Equal(5, result.Registered);
        Assert.Equal(5, result.Verified);
        Assert.Equal(3, result.FailReasons["SERVER_ERROR"]);
    }
}
