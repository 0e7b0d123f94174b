using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Parley.Testing;

namespace Parley.Client.Tests;

/// <summary>
/// The client's parser and connection against random and mutated server output, randomly chunked:
/// nothing throws out of the parser, and the client always ends cleanly (its completion never
/// faults, its event stream completes). PARLEY_FUZZ_SECONDS and PARLEY_FUZZ_SEED as elsewhere.
/// </summary>
public sealed class ClientFuzzTests
{
    private static readonly string[] ServerLines =
    [
        """{"type":"welcome","username":"alice","users":["alice","bob"],"motd":"hi"}""",
        """{"type":"message","username":"bob","content":"Hi!","color":"red","timestamp":"2026-11-22T14:30:25.123Z"}""",
        """{"type":"private_message","sender":"bob","content":"psst","timestamp":"2026-11-22T14:30:25.123Z"}""",
        """{"type":"private_confirmation","target":"bob","content":"psst","delivered":true,"timestamp":"2026-11-22T14:30:25.123Z"}""",
        """{"type":"system","event":"joined","username":"bob","message":"bob joined the chat","timestamp":"2026-11-22T14:30:25.123Z"}""",
        """{"type":"server","message":"Maintenance","timestamp":"2026-11-22T14:30:25Z"}""",
        """{"type":"users","users":["alice","bob"]}""", """{"type":"pong"}""", """{"type":"goodbye","message":"bye"}""",
        """{"type":"error","code":"username_taken","message":"Username already taken"}""",
        """{"type":"help","commands":[{"usage":"/who","description":"who"}]}""", "ERROR text mode refusal", "Welcome to Parley! Please enter a username:",
    ];

    [Fact]
    public void The_event_parser_survives_random_and_mutated_lines()
    {
        var (rng, budget) = Setup(2);
        var clock = Stopwatch.StartNew();
        var parsed = 0;
        for (var i = 0; i < 2_000 || clock.Elapsed < budget; i++)
        {
            var line = NextLine(rng);
            if (ServerEventParser.TryParse(line, DateTimeOffset.UnixEpoch, out var evt))
            {
                Assert.NotNull(evt);
                parsed++;
            }
        }

        Assert.True(parsed > 0, "the generator never produced a parseable line");
    }

    [Fact]
    public async Task The_client_ends_cleanly_whatever_the_server_sends()
    {
        var (rng, budget) = Setup(3);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < 10 || clock.Elapsed < budget; round++)
        {
            var bytes = new List<byte>();
            for (var n = rng.Next(1, 40); n > 0; n--)
            {
                bytes.AddRange(NextLine(rng));
                bytes.AddRange(rng.Next(5) == 0 ? "\r\n"u8.ToArray() : "\n"u8.ToArray());
            }

            var client = await ChatClient.ConnectAsync("127.0.0.1", port, new ChatClientOptions { MaxLineBytes = 4096 });
            using (var connection = await listener.AcceptTcpClientAsync())
            {
                var stream = connection.GetStream();
                var payload = bytes.ToArray();
                for (var at = 0; at < payload.Length;)
                {
                    var size = Math.Min(payload.Length - at, rng.Next(4) == 0 ? 1 : rng.Next(1, 700));
                    await stream.WriteAsync(payload.AsMemory(at, size));
                    at += size;
                }

                if (rng.Next(3) == 0)
                {
                    // An abrupt reset instead of a clean close.
                    connection.Client.LingerState = new LingerOption(true, 0);
                }
            }

            var ended = await client.Completion.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotNull(ended);
            var drain = Task.Run(async () =>
            {
                await foreach (var _ in client.Events.ReadAllAsync())
                {
                }
            });
            await drain.WaitAsync(TimeSpan.FromSeconds(10));
            await client.DisposeAsync();
        }
    }

    private static (Random Rng, TimeSpan Budget) Setup(int defaultSeconds)
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("PARLEY_FUZZ_SECONDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : defaultSeconds;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PARLEY_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 20261122;
        return (new Random(seed), TimeSpan.FromSeconds(seconds));
    }

    private static byte[] NextLine(Random rng)
    {
        var bytes = Encoding.UTF8.GetBytes(ServerLines[rng.Next(ServerLines.Length)]);
        switch (rng.Next(5))
        {
            case 0:
                return bytes;
            case 1:
                var random = new byte[rng.Next(300)];
                rng.NextBytes(random);
                return [.. random.Where(b => b != (byte)'\n')];
            case 2:
                // Far over the client's line limit.
                return [.. bytes, .. Enumerable.Repeat((byte)'z', rng.Next(4000, 20_000))];
        }

        // Mutated, but still one line: the framing is the transport's business, the parser sees lines.
        return [.. ByteMutator.Default.Mutate(rng, bytes).Where(b => b != (byte)'\n')];
    }
}
