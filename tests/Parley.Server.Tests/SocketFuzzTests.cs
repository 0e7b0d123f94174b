using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Server.Tests;

/// <summary>
/// Random and mutated byte streams, randomly chunked, over real TCP against the real server, several
/// at once. After every round a control client must still get answers and the server must have
/// closed every fuzz connection; every line sent back must be well-formed for the connection's
/// protocol. The default run takes about <see cref="DefaultSeconds"/> s; PARLEY_SOCKET_FUZZ_SECONDS
/// runs longer, PARLEY_FUZZ_SEED picks another sequence. A failing stream is saved for SocketCorpus/.
/// </summary>
public sealed class SocketFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeconds = 8;
    private const int DefaultSeed = 20261122;
    private const int Parallel = 4;

    [Fact]
    public async Task Random_streams_over_real_sockets_never_break_the_server()
    {
        var seconds = Read("PARLEY_SOCKET_FUZZ_SECONDS", DefaultSeconds);
        var seed = Read("PARLEY_FUZZ_SEED", DefaultSeed);
        // No flood control: the control client pings every round, faster than any person would.
        await using var server = await TestServer.StartAsync();
        await using var control = await server.JoinJsonAsync("control");
        await using var watcher = await server.JoinTextAsync("watcher");
        var master = new Random(seed);
        var clock = Stopwatch.StartNew();
        var streams = 0;
        for (var round = 0; round < 3 || clock.Elapsed < TimeSpan.FromSeconds(seconds); round++)
        {
            var cases = Enumerable.Range(0, Parallel).Select(i => (Seed: master.Next(), Index: (round * Parallel) + i)).ToArray();
            await Task.WhenAll(cases.Select(c => RunCaseAsync(server, c.Seed, c.Index, seed)));
            streams += cases.Length;
            await AssertStillServingAsync(server, control, watcher, round);
        }

        await Eventually.TrueAsync(() => server.Hub.ConnectionCount == 2, LineClient.DefaultTimeout, "only the control clients remain");
        Assert.True(streams >= 3 * Parallel);
        output.WriteLine($"{streams} streams in {clock.Elapsed.TotalSeconds:0.0} s (seed {seed})");
    }

    [Fact]
    public async Task Every_saved_stream_replays_cleanly()
    {
        var directories = new[] { "SocketCorpus", "Corpus" }.Select(d => Path.Combine(AppContext.BaseDirectory, d)).Where(Directory.Exists);
        var files = directories.SelectMany(Directory.GetFiles).ToArray();
        Assert.NotEmpty(files);
        await using var server = await TestServer.StartAsync();
        await using var control = await server.JoinJsonAsync("control");
        await using var watcher = await server.JoinTextAsync("watcher");
        for (var i = 0; i < files.Length; i++)
        {
            var bytes = await File.ReadAllBytesAsync(files[i]);
            await SendAndCheckAsync(server, bytes, [bytes], $"corpus file {Path.GetFileName(files[i])}");
            await AssertStillServingAsync(server, control, watcher, i);
        }
    }

    private static async Task RunCaseAsync(TestServer server, int caseSeed, int index, int seed)
    {
        var rng = new Random(caseSeed);
        var input = SocketFuzzInputs.Next(rng, index);
        try
        {
            await SendAndCheckAsync(server, input, SocketFuzzInputs.Chunks(rng, input), $"seed {seed}, case seed {caseSeed}");
        }
        catch (Exception ex)
        {
            var saved = Path.Combine(Path.GetTempPath(), $"parley-socket-fuzz-{caseSeed}.bin");
            await File.WriteAllBytesAsync(saved, input);
            throw new InvalidOperationException($"Socket fuzz case failed (seed {seed}, case seed {caseSeed}); input saved to {saved} (copy it into tests/Parley.Server.Tests/SocketCorpus/): {ex.Message}", ex);
        }
    }

    // Sends the stream, half-closes, and reads until the server closes: a hang is a timeout.
    private static async Task SendAndCheckAsync(TestServer server, byte[] input, IEnumerable<ReadOnlyMemory<byte>> chunks, string what)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(server.ChatEndPoint);
        var stream = tcp.GetStream();
        var reading = ReadAllAsync(stream);
        try
        {
            foreach (var chunk in chunks)
            {
                await stream.WriteAsync(chunk);
            }

            tcp.Client.Shutdown(SocketShutdown.Send);
        }
        catch (IOException)
        {
            // The server may close first (e.g. after /quit); what it sent is still checked.
        }

        var output = await reading.WaitAsync(TimeSpan.FromSeconds(20));
        var json = input.Length > 0 && input[0] == (byte)'{';
        foreach (var line in Encoding.UTF8.GetString(output).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            CheckLine(line, json, what);
        }
    }

    private static async Task<byte[]> ReadAllAsync(NetworkStream stream)
    {
        var all = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                all.Write(buffer, 0, read);
                Assert.True(all.Length < 16 * 1024 * 1024, "the server sent more than 16 MiB to one fuzz connection");
            }
        }
        catch (IOException)
        {
            // Reset by the server after an abort: the connection is over either way.
        }

        return all.ToArray();
    }

    private static void CheckLine(string line, bool json, string what)
    {
        // A text-mode refusal (e.g. "ERROR ...") can precede the protocol sniff; anything else must match the protocol.
        if (json && !line.StartsWith("ERROR ", StringComparison.Ordinal) && !line.StartsWith("Welcome to Parley", StringComparison.Ordinal))
        {
            using var document = JsonDocument.Parse(line);
            Assert.True(document.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String, $"{what}: JSON line without a type: {line}");
            return;
        }

        // Text mode: never a control character (escape sequences) from anyone's input.
        Assert.False(line.Any(c => char.IsControl(c) && c != '\r'), $"{what}: control character in text line: {line}");
    }

    private static async Task AssertStillServingAsync(TestServer server, JsonLineClient control, LineClient watcher, int round)
    {
        await control.SendAsync(new { type = "ping" });
        await control.ExpectTypeAsync("pong");
        await control.SendAsync(new { type = "message", content = $"round {round}" });
        await watcher.ExpectAsync($"control: round {round}");
        Assert.False(server.Hub.Flow.IsPaused, server.Describe());
    }

    private static int Read(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
