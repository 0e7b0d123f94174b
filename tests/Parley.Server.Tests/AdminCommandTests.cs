using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>`parley admin create`, the real executable, against a data directory a server then uses.</summary>
public sealed class AdminCommandTests : IDisposable
{
    private readonly TempDataDirectory _data = new("parley-admin");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task An_admin_created_from_the_command_line_logs_in_and_can_announce_kick_and_ban()
    {
        await using (var create = ParleyProcess.Start(["admin", "create", "root", "--data", _data.Path]))
        {
            await create.WriteInputAndCloseAsync("root-password\n");
            Assert.Equal(0, await create.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.DoesNotContain(create.Output, l => l.Contains("root-password", StringComparison.Ordinal));
        }

        await using var server = await TestServer.StartAsync(o => o.DataDirectory = _data.Path);
        await using var bob = await server.JoinTextAsync("bob");
        await using var root = new JsonLineClient(await server.ConnectAsync());
        await root.SendAsync(new { type = "join", username = "root", password = "root-password" });
        Assert.True((await root.ExpectTypeAsync("welcome")).GetProperty("registered").GetBoolean());

        await bob.SendLineAsync("/announce not me");
        await bob.ExpectAsync("ERROR Only admins can do that");
        await root.SendAsync(new { type = "command", line = "/announce Maintenance at noon" });
        await bob.ExpectAsync("[SERVER] Maintenance at noon");
        await root.SendAsync(new { type = "command", line = "/ban bob" });
        await bob.ExpectAsync("You have been kicked: banned");
        await bob.WaitClosedAsync();

        await using var again = await server.ConnectAsync();
        await again.SendLineAsync("bob");
        await again.ExpectAsync("ERROR bob is banned");
    }

    [Fact]
    public async Task A_short_password_is_refused_with_exit_code_two()
    {
        await using var create = ParleyProcess.Start(["admin", "create", "root", "--data", _data.Path]);
        await create.WriteInputAndCloseAsync("short\n");
        Assert.Equal(2, await create.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }
}
