using System.Net;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>The new `parley serve` flags reach the server (flag and PARLEY_* environment), in the real process.</summary>
public sealed class SecurityFlagsTests : IDisposable
{
    private readonly TempDataDirectory _data = new("parley-flags");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Per_address_limit_line_timeout_and_loopback_flag_are_applied()
    {
        var (server, port) = await ParleyProcess.StartServerAsync(
            _data.Path,
            ["--limit-loopback", "--max-connections-per-ip", "1"],
            new Dictionary<string, string> { ["PARLEY_LINE_TIMEOUT"] = "1" });
        await using var _ = server;
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        await using var first = await LineClient.ConnectAsync(endPoint);
        await first.SendLineAsync("first");
        await first.ExpectAsync("Users online");

        await using (var second = await LineClient.ConnectAsync(endPoint))
        {
            Assert.Equal(["ERROR too many connections from your address (limit 1 at once)"], await second.WaitClosedAsync());
        }

        await first.SendRawAsync("unfinished"u8.ToArray());
        Assert.Contains("ERROR Line not finished within 1 seconds; closing the connection", await first.WaitClosedAsync());
    }

    [Fact]
    public async Task Invalid_limits_are_refused_with_exit_code_2()
    {
        await using var process = ParleyProcess.Start(["serve", "--data", _data.Path, "--log-keep", "0"]);
        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(process.Output, l => l.Contains("--log-keep", StringComparison.Ordinal));
    }
}
