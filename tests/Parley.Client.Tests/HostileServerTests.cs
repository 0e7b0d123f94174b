using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Parley.Client.Tests;

/// <summary>`parley chat` against a scripted fake server that sends what a real one never would.</summary>
public sealed class HostileServerTests
{
    [Fact]
    public async Task Control_characters_from_the_server_are_shown_escaped_never_obeyed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var chat = ParleyProcess.Start("chat", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--user", "alice");
        chat.CloseInput();

        using var connection = await listener.AcceptTcpClientAsync().WaitAsync(ParleyProcess.Timeout);
        var stream = connection.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        async Task SendAsync(string line) => await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
        async Task<string?> ReceiveAsync() => await reader.ReadLineAsync().WaitAsync(ParleyProcess.Timeout);

        Assert.Equal("""{"type":"join","username":"alice"}""", await ReceiveAsync());
        await SendAsync("""{"type":"welcome","username":"alice","users":["alice","\u001b[8mghost"]}""");
        await SendAsync("""{"type":"message","username":"mallory","content":"\u001b[2J\u001b]0;pwned\u0007wiped\r\nfake line\u202eesrever\u0085!","timestamp":"2026-11-22T14:30:25.123Z"}""");
        await SendAsync("""{"type":"typing","message":"mallory is typing \u001b[5m"}""");
        await SendAsync("""{"type":"something_new"}""");
        await SendAsync("not json at all \u001b[31m");
        Assert.Equal("""{"type":"ping"}""", await ReceiveAsync());
        await SendAsync("""{"type":"pong"}""");
        Assert.Equal("""{"type":"quit"}""", await ReceiveAsync());
        await SendAsync("""{"type":"goodbye","message":"bye\u001b[0m"}""");
        connection.Client.Shutdown(SocketShutdown.Send);

        Assert.Equal(0, await chat.WaitForExitAsync());
        var output = string.Join("\n", chat.Output);
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\u0007', output);
        Assert.DoesNotContain('\r', output);
        Assert.DoesNotContain('\u202e', output);
        var text = chat.Output.Select(l => l[11..]).ToList(); // past "[HH:MM:SS] "
        Assert.Equal(
            [
                "*** Welcome to Parley, alice! Type /help for commands.",
                "*** Users online (2): alice, ^[[8mghost",
                "mallory: ^[[2J^[]0;pwned^Gwiped^M^Jfake line<U+202E>esrever<U+0085>!",
                "*** mallory is typing ^[[5m",
                "*** (the server sent a 'something_new' message, which this client does not know)",
                "*** bye^[[0m",
            ],
            text);
    }
}
