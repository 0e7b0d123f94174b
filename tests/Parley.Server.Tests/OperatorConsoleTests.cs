using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Admin;
using Parley.Testing;

namespace Parley.Server.Tests;

public sealed class OperatorConsoleTests
{
    [Fact]
    public async Task Console_commands_announce_list_and_kick()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.JoinWebSocketAsync("alice");
        await using var bob = await server.JoinTextAsync("bob");
        var console = server.Server.Services.GetRequiredService<OperatorConsole>();

        Assert.StartsWith("Announced", console.Execute("/say Back in five minutes"), StringComparison.Ordinal);
        await alice.ExpectTypeAsync("server", m => m.GetProperty("message").GetString() == "Back in five minutes");
        await bob.ExpectAsync(l => l.EndsWith("[SERVER] Back in five minutes", StringComparison.Ordinal));

        var list = console.Execute("/list");
        Assert.StartsWith("Clients (2):", list, StringComparison.Ordinal);
        Assert.Contains("alice", list, StringComparison.Ordinal);
        Assert.Contains("ws/json", list, StringComparison.Ordinal);
        Assert.Contains("tcp/text", list, StringComparison.Ordinal);

        Assert.Equal("Kicked bob: being loud", console.Execute("/kick bob being loud"));
        Assert.Contains("You have been kicked: being loud", await bob.WaitClosedAsync());

        // The client can see its connection closed a moment before the server has let the user go.
        await server.WaitForUsersAsync(1);
        Assert.Equal("No user 'bob' is online", console.Execute("/kick bob"));

        Assert.StartsWith("Operator commands:", console.Execute("/help"), StringComparison.Ordinal);
        Assert.StartsWith("Unknown operator command '/frobnicate'", console.Execute("/frobnicate"), StringComparison.Ordinal);
        Assert.StartsWith("Operator commands start with '/'", console.Execute("hello"), StringComparison.Ordinal);
        Assert.Equal("Usage: /kick NAME [REASON]", console.Execute("/kick"));
        Assert.Contains("1 users", console.Execute("/status"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_approves_and_rejects_waiting_joins()
    {
        await using var server = await TestServer.StartAsync(o => o.Hub.ApproveJoins = true);
        var console = server.Server.Services.GetRequiredService<OperatorConsole>();
        await using var amy = await server.ConnectWebSocketAsync();
        await amy.SendAsync(new { type = "join", username = "amy" });
        await amy.ExpectTypeAsync("pending");
        await using var max = await server.ConnectAsync();
        await max.SendLineAsync("max");
        await max.ExpectAsync("*** Waiting for an operator");

        var pending = console.Execute("/pending");
        Assert.Contains("amy (127.0.0.1:", pending, StringComparison.Ordinal);
        Assert.Contains("max (127.0.0.1:", pending, StringComparison.Ordinal);

        Assert.Equal("Approved amy", console.Execute("/approve amy"));
        await amy.ExpectTypeAsync("welcome");
        Assert.Equal("Rejected max", console.Execute("/reject max full house"));
        await max.ExpectAsync("ERROR Your request to join was rejected: full house");
        await max.WaitClosedAsync();
        Assert.Equal("No join request from 'max' is waiting", console.Execute("/approve max"));
    }

    [Fact]
    public async Task When_console_input_ends_the_server_keeps_running()
    {
        await using var server = await TestServer.StartAsync();
        var output = new StringWriter();
        await server.Server.AttachConsole(new StringReader("/list\n/say one last thing\n"), output).WaitAsync(LineClient.DefaultTimeout);

        Assert.Contains("No clients connected.", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Announced to 0 users: one last thing", output.ToString(), StringComparison.Ordinal);
        await using var alice = await server.JoinTextAsync("alice");
        await alice.SendLineAsync("still up");
        await alice.ExpectAsync("alice: still up");
    }
}
