using System.Net.Sockets;
using System.Text;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>A client that stops reading (a stalled network or a suspended laptop) and then resumes.</summary>
public sealed class NetworkStallTests
{
    [Fact]
    public async Task A_reader_that_stalls_and_resumes_gets_every_message_in_order_and_others_are_not_held_up()
    {
        await using var server = await TestServer.StartAsync();
        using var stalled = new TcpClient { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync(server.ChatEndPoint);
        var stream = stalled.GetStream();
        await stream.WriteAsync("sleepy\n"u8.ToArray());
        await server.WaitForUsersAsync(1);
        await using var alice = await server.JoinTextAsync("alice");
        await using var bob = await server.JoinTextAsync("bob");

        // ~200 KiB while "sleepy" reads nothing: it piles up in socket buffers and, beyond them, the
        // session queue (below its bound); flow control waits at most the stall grace for it.
        var filler = new string('s', 1000);
        const int Count = 200;
        var started = DateTime.UtcNow;
        for (var i = 0; i < Count; i++)
        {
            await alice.SendLineAsync($"{i:000} {filler}");
        }

        await bob.ExpectAsync($"alice: {Count - 1:000} ");
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Contains(server.Hub.Usernames, n => n == "sleepy");

        // Resume: everything arrives, in order, and the session is still there.
        var received = new StringBuilder();
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(LineClient.DefaultTimeout);
        while (!received.ToString().Contains($"alice: {Count - 1:000} ", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.NotEqual(0, read);
            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        var numbers = received.ToString().Split('\n').Where(l => l.Contains("alice: ", StringComparison.Ordinal)).Select(l => int.Parse(l.Split("alice: ")[1][..3], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(0, Count), numbers);
        await alice.SendLineAsync("welcome back");
        await bob.ExpectAsync("alice: welcome back");
    }
}
