using Parley.Testing;

namespace Parley.Server.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_tells_every_client_and_closes_every_connection()
    {
        await using var server = await TestServer.StartAsync();
        await using var text = await server.JoinTextAsync("tess");
        await using var json = await server.JoinJsonAsync("jay");
        await using var anonymous = await server.ConnectAsync();
        await server.WaitForUsersAsync(2);

        var stopping = server.Server.StopAsync();
        Assert.Matches(@"^\[\d\d:\d\d:\d\d\] \[SERVER\] Server is shutting down$", (await text.WaitClosedAsync()).Last());
        Assert.Contains(await json.Lines.WaitClosedAsync(), l => l.Contains("\"type\":\"server\"", StringComparison.Ordinal) && l.Contains("Server is shutting down", StringComparison.Ordinal));
        await anonymous.WaitClosedAsync();
        await stopping.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
