using System.Net;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>The real `parley serve` process: signals, exit codes, settings layering.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly TempDataDirectory _data = new("parley-proc");

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData(ParleyProcess.SigTerm)]
    [InlineData(ParleyProcess.SigInt)]
    public async Task Signal_shuts_down_gracefully_within_five_seconds_with_exit_code_zero(int signal)
    {
        var (server, port) = await ParleyProcess.StartServerAsync(_data.Path, ["--rate-limit", "0"]);
        await using var _ = server;
        await using var alice = await JoinAsync(port, "alice");
        await using var bob = await JoinAsync(port, "bob");
        for (var i = 0; i < 200; i++)
        {
            await alice.SendLineAsync($"message {i}");
        }

        await bob.ExpectAsync("alice: message 199");
        server.Signal(signal);
        var started = DateTime.UtcNow;
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(5)));
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.EndsWith("[SERVER] Server is shutting down", (await alice.WaitClosedAsync()).Last());
        Assert.EndsWith("[SERVER] Server is shutting down", (await bob.WaitClosedAsync()).Last());

        var log = await File.ReadAllLinesAsync(Path.Combine(_data.Path, "chat.log"));
        for (var i = 0; i < 200; i++)
        {
            Assert.Contains(log, l => l.EndsWith($" alice: message {i}", StringComparison.Ordinal));
        }

        Assert.Contains(log, l => l.EndsWith("*** alice left the chat (server shutting down)", StringComparison.Ordinal));
        Assert.Contains(log, l => l.EndsWith("*** bob left the chat (server shutting down)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Settings_come_from_flags_then_environment_then_config_file()
    {
        var config = Path.Combine(_data.Path, "parley.json");
        await File.WriteAllTextAsync(config, """{ "motd": "from the file", "max-clients": 1, "rate-limit": 7 }""");
        var (server, port) = await ParleyProcess.StartServerAsync(_data.Path, ["--config", config], new Dictionary<string, string> { ["PARLEY_MOTD"] = "from the environment" });
        await using (server)
        {
            await using var alice = await LineClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            await alice.SendLineAsync("alice");
            await alice.ExpectAsync("Welcome to Parley, alice!");
            Assert.Equal("*** from the environment", await alice.ReadLineAsync());
            await using var second = await LineClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            Assert.Equal(["ERROR server full (1 clients), try again later"], await second.WaitClosedAsync());
        }

        var (flagged, flaggedPort) = await ParleyProcess.StartServerAsync(_data.Path, ["--config", config, "--motd", "from the flag"], new Dictionary<string, string> { ["PARLEY_MOTD"] = "from the environment" });
        await using (flagged)
        {
            await using var alice = await LineClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, flaggedPort));
            await alice.SendLineAsync("alice");
            await alice.ExpectAsync("Welcome to Parley, alice!");
            Assert.Equal("*** from the flag", await alice.ReadLineAsync());
        }
    }

    [Fact]
    public async Task Bad_settings_are_reported_in_one_line_with_exit_code_two()
    {
        await using var badPort = ParleyProcess.Start(["serve", "--port", "70000", "--data", _data.Path]);
        Assert.Equal(2, await badPort.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(badPort.Output, l => l.Contains("--port must be between 0 and 65535", StringComparison.Ordinal));

        await using var badEnv = ParleyProcess.Start(["serve", "--data", _data.Path], new Dictionary<string, string> { ["PARLEY_MAX_CLIENTS"] = "lots" });
        Assert.Equal(2, await badEnv.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(badEnv.Output, l => l.Contains("'max-clients' has the value 'lots'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Port_in_use_is_explained_with_exit_code_one()
    {
        await using var first = await TestServer.StartAsync();
        await using var second = ParleyProcess.Start(["serve", "--host", "127.0.0.1", "--port", first.ChatEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--web-port", "0", "--data", _data.Path]);
        Assert.Equal(1, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(second.Output, l => l.Contains("already in use", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_explains_every_option()
    {
        await using var help = ParleyProcess.Start(["serve", "--help"]);
        Assert.Equal(0, await help.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var text = string.Join("\n", help.Output);
        foreach (var option in new[] { "--port", "--host", "--web-port", "--data", "--max-clients", "--rate-limit", "--motd", "--log-private", "--config" })
        {
            Assert.Contains(option, text);
        }
    }

    private static async Task<LineClient> JoinAsync(int port, string name)
    {
        var client = await LineClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await client.SendLineAsync(name);
        await client.ExpectAsync("Users online");
        return client;
    }
}
