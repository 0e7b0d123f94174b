using Parley.Server.Transport;
using Parley.Testing;

namespace Parley.Server.Tests.Transport;

/// <summary>Which transport the chat port really runs on, and that the other one still works.</summary>
public sealed class LeanTransportServerTests
{
    [Fact]
    public async Task The_chat_port_runs_on_the_lean_transport_by_default()
    {
        await using var server = await TestServer.StartAsync();

        // Kestrel records the endpoint its listener reports; only the lean listener reports a LeanEndPoint
        // (Kestrel's socket transport would report a plain IPEndPoint for the same request).
        Assert.IsType<LeanEndPoint>(server.Server.ChatEndPoint);
        Assert.IsNotType<LeanEndPoint>(server.Server.WebEndPoint);
        await ChatRoundTripAsync(server);
    }

    [Fact]
    public async Task Kestrels_transport_serves_the_chat_port_when_asked_for()
    {
        await using var server = await TestServer.StartAsync(o => o.Transport = "kestrel");
        Assert.IsNotType<LeanEndPoint>(server.Server.ChatEndPoint);
        await ChatRoundTripAsync(server);
    }

    [Theory]
    [InlineData("lean")]
    [InlineData("kestrel")]
    public async Task A_chat_sessions_address_is_its_peers_end_point(string transport)
    {
        await using var server = await TestServer.StartAsync(o => o.Transport = transport);
        await using var alice = await server.JoinTextAsync("alice");
        var info = server.Hub.Sessions.Single(s => s.Username == "alice");
        Assert.Equal($"127.0.0.1:{((System.Net.IPEndPoint)alice.Socket.LocalEndPoint!).Port}", info.RemoteAddress);
    }

    private static async Task ChatRoundTripAsync(TestServer server)
    {
        await using var alice = await server.JoinTextAsync("alice");
        await using var bob = await server.JoinJsonAsync("bob");
        await alice.SendLineAsync("hello over the wire");
        await bob.ExpectTypeAsync("message", m => m.GetProperty("content").GetString() == "hello over the wire");
        await alice.ExpectAsync(l => l.EndsWith("alice: hello over the wire", StringComparison.Ordinal));
    }
}
