using Parley.Testing;

namespace Parley.Server.Tests;

public sealed class TextModeTests
{
    [Fact]
    public async Task Silent_client_is_greeted_and_can_chat()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync();
        Assert.Equal("Welcome to Parley! Please enter a username:", await alice.ReadLineAsync());

        await alice.SendLineAsync("alice");
        Assert.Equal("Welcome to Parley, alice! Type /help for commands.", await alice.ReadLineAsync());
        Assert.Equal("Users online (1): alice", await alice.ReadLineAsync());

        await alice.SendLineAsync("hello world");
        Assert.Matches(@"^\[\d\d:\d\d:\d\d\] alice: hello world$", await alice.ReadLineAsync());
    }
}
