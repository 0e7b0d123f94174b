using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Parley.Testing;
using ServerProcess = Parley.Testing.ParleyProcess;

namespace Parley.Client.Tests;

/// <summary>
/// SIGKILL the real server mid-traffic and start it again on the same port and data directory: a
/// `parley chat --reconnect` process rejoins and sends what was typed meanwhile, and chat.log keeps
/// every acknowledged message (echoed and in chat.log before the kill) exactly once, in flight ones
/// at most once, and no torn line.
/// </summary>
public sealed partial class ServerCrashTests : IDisposable
{
    private readonly TempDataDirectory _data = new("parley-crash");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task After_a_sigkill_and_restart_clients_reconnect_and_nothing_acknowledged_is_lost()
    {
        var port = FreePort();
        var chatLog = Path.Combine(_data.Path, "chat.log");
        var first = await StartServerAsync(port);
        await using (first)
        {
            await using var alice = ParleyProcess.Start("chat", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--user", "alice", "--reconnect", "--no-color");
            await alice.ExpectAsync("Welcome");
            for (var i = 0; i < 20; i++)
            {
                await alice.WriteLineAsync($"before {i}");
            }

            await alice.ExpectAsync("alice: before 19");

            // "Acknowledged" (for now) = echoed and in chat.log. The log is written asynchronously
            // (docs/reliability.md), so wait until it holds the line, as the definition says.
            await Eventually.TrueAsync(() => File.Exists(chatLog) && ReadShared(chatLog).Contains("alice: before 19\n", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "before 19 in chat.log");
            var acknowledged = Enumerable.Range(0, 20).Select(i => $"before {i}").ToList();

            // Mid-traffic: more lines on their way as the server dies.
            for (var i = 20; i < 30; i++)
            {
                await alice.WriteLineAsync($"before {i}");
            }

            first.Signal(ServerProcess.SigKill);
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(acknowledged, Echoed(alice.Output).Take(20));

            // Typed while the server is down: held by the client and sent once it is back.
            for (var i = 0; i < 5; i++)
            {
                await alice.WriteLineAsync($"during {i}");
            }

            await using var second = await StartServerAsync(port);
            await alice.ExpectAsync("Reconnected");
            await alice.ExpectAsync("alice: during 4");
            alice.CloseInput();
            Assert.Equal(0, await alice.WaitForExitAsync());

            second.Signal(ServerProcess.SigTerm);
            Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(10)));

            var lines = await File.ReadAllLinesAsync(chatLog);
            Assert.All(lines, l => Assert.Matches(LogLine(), l));
            var said = lines.Select(l => l[20..]).Where(l => l.StartsWith("alice: ", StringComparison.Ordinal)).Select(l => l[7..]).ToList();
            foreach (var text in acknowledged.Concat(Enumerable.Range(0, 5).Select(i => $"during {i}")))
            {
                Assert.True(said.Count(s => s == text) == 1, $"'{text}' should be in chat.log once:\n{string.Join("\n", lines)}");
            }

            // Lines in flight at the kill may or may not have made it, but never twice.
            Assert.All(Enumerable.Range(20, 10), i => Assert.InRange(said.Count(s => s == $"before {i}"), 0, 1));

            // Order is kept: what was said before the crash comes before what was held through it.
            Assert.True(said.IndexOf("before 19") < said.IndexOf("during 0"));
        }
    }

    // Echoed lines ("[HH:MM:SS] alice: before N"), in the order the client printed them.
    private static List<string> Echoed(IReadOnlyList<string> output) =>
        [.. output.Select(l => EchoLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private async Task<ServerProcess> StartServerAsync(int port)
    {
        var server = ServerProcess.Start(["serve", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--web-port", "-1", "--data", _data.Path, "--rate-limit", "0"]);
        await server.ExpectOutputAsync("Parley is listening", TimeSpan.FromSeconds(30));
        return server;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"alice: (before \d+)$")]
    private static partial Regex EchoLine();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S")]
    private static partial Regex LogLine();
}
