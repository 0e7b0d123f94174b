using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Parley.Server.Transport;

namespace Parley.Server.Tests.Transport;

public sealed class LeanSocketTransportFactoryTests
{
    [Fact]
    public void Only_LeanEndPoints_are_taken_so_the_web_port_keeps_Kestrels_transport()
    {
        var factory = new LeanSocketTransportFactory();
        Assert.True(factory.CanBind(new LeanEndPoint(IPAddress.Loopback, 0)));
        Assert.False(factory.CanBind(new IPEndPoint(IPAddress.Loopback, 0)));
        Assert.False(factory.CanBind(new DnsEndPoint("localhost", 0)));
        Assert.False(factory.CanBind(new UnixDomainSocketEndPoint("/tmp/parley-never-bound.sock")));
        Assert.Throws<NotSupportedException>(() => factory.BindAsync(new IPEndPoint(IPAddress.Loopback, 0)).AsTask().GetAwaiter().GetResult());
    }

    [Fact]
    public async Task Binding_a_port_in_use_throws_AddressInUseException()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        await Assert.ThrowsAsync<AddressInUseException>(() => new LeanSocketTransportFactory().BindAsync(new LeanEndPoint(IPAddress.Loopback, port)).AsTask());
    }

    [Fact]
    public async Task The_listener_reports_the_real_port_and_accept_ends_with_null_once_unbound()
    {
        var listener = await new LeanSocketTransportFactory().BindAsync(new LeanEndPoint(IPAddress.Loopback, 0));
        await using (listener)
        {
            var bound = Assert.IsType<LeanEndPoint>(listener.EndPoint);
            Assert.NotEqual(0, bound.Port);

            var accepting = listener.AcceptAsync().AsTask();
            Assert.False(accepting.IsCompleted, "accepted with nobody connecting");
            await listener.UnbindAsync();
            Assert.Null(await accepting.WaitAsync(LeanPair.Timeout));
        }
    }
}
