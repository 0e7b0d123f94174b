using System.Text;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>Byte streams for the socket-level fuzz test: sessions that mostly make sense, then go wrong.</summary>
internal static class SocketFuzzInputs
{
    private static readonly string[] JsonLines =
    [
        """{"type":"join","username":"NAME"}""",
        """{"type":"join","username":"NAME","password":"pw"}""",
        """{"type":"message","content":"hello \u001b[31mred\u0007"}""",
        """{"type":"message","content":"x","color":"blue"}""",
        """{"type":"private_message","target":"control","content":"psst"}""",
        """{"type":"private_message","target":"NAME","content":"self"}""",
        """{"type":"who"}""", """{"type":"ping"}""", """{"type":"help"}""",
        """{"type":"command","line":"/msg watcher hi"}""", """{"type":"command","line":"/color nope x"}""",
        """{"type":"nope"}""", """{"type":"quit"}""", """{"type":1}""", """[]""", """{""", """{"type":"message","content":null}""",
    ];

    private static readonly string[] TextLines =
    [
        "NAME", "hello world", "/who", "/users", "/help", "/ping", "/msg control hi", "/msg nobody hi", "/private watcher x",
        "/color red hi", "/color", "//slash", "/", "/unknown a b c", "/quit", "caf\u00e9 \U0001F600", "\u001b[2J\u001b]0;t\u0007", "\u202eevil", " ", "",
    ];

    public static byte[] Next(Random rng, int index)
    {
        var json = rng.Next(2) == 0;
        var name = $"f{index}";
        var output = new List<byte>();
        var lines = rng.Next(1, 12);
        for (var i = 0; i < lines; i++)
        {
            var pool = json ? JsonLines : TextLines;
            var line = i == 0 && rng.Next(4) != 0 ? pool[0] : pool[rng.Next(pool.Length)];
            var bytes = Encoding.UTF8.GetBytes(line.Replace("NAME", name, StringComparison.Ordinal));
            output.AddRange(rng.Next(3) == 0 ? ByteMutator.Default.Mutate(rng, bytes, maxMutations: 3) : bytes);
            output.AddRange(rng.Next(4) == 0 ? "\r\n"u8.ToArray() : "\n"u8.ToArray());
        }

        switch (rng.Next(6))
        {
            case 0:
                // Random bytes, biased towards line ends, control bytes and broken UTF-8.
                for (var i = rng.Next(2048); i > 0; i--)
                {
                    output.Add(rng.Next(8) switch { 0 => (byte)'\n', 1 => (byte)rng.Next(0x80, 0x100), 2 => (byte)rng.Next(0x20), _ => (byte)rng.Next(0x20, 0x7F) });
                }

                break;
            case 1:
                // Over the line limit, sometimes never terminated.
                output.AddRange(Enumerable.Repeat((byte)'z', 8 * 1024 + rng.Next(-2, 20_000)));
                if (rng.Next(2) == 0)
                {
                    output.Add((byte)'\n');
                }

                break;
            case 2:
                // Deep nesting.
                output.AddRange(Encoding.ASCII.GetBytes(new string('[', rng.Next(1, 5000)) + "\n"));
                break;
        }

        return [.. output];
    }

    /// <summary>Splits <paramref name="input"/> at random points (including single bytes).</summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Chunks(Random rng, byte[] input)
    {
        var at = 0;
        while (at < input.Length)
        {
            var size = rng.Next(4) switch { 0 => 1, 1 => rng.Next(1, 8), 2 => rng.Next(1, 512), _ => input.Length - at };
            size = Math.Min(size, input.Length - at);
            yield return input.AsMemory(at, size);
            at += size;
        }
    }
}
