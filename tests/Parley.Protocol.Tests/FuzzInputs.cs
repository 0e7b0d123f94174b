using System.Text;
using Parley.Testing;

namespace Parley.Protocol.Tests;

/// <summary>Inputs for the fuzz test: random bytes, mutated valid requests, text commands and over-long lines.</summary>
internal static class FuzzInputs
{
    private static readonly byte[][] ValidLines =
    [
        .. new[]
        {
            """{"type":"join","username":"alice"}""",
            """{"type":"join","username":"bob","password":"s3cret","room":"lobby"}""",
            """{"type":"message","content":"Hello everyone!"}""",
            """{"type":"message","content":"caf\u00e9 \ud83d\ude00 \u001b[31mred","color":"red"}""",
            """{"type":"private_message","target":"bob","content":"psst"}""",
            """{"type":"who"}""",
            """{"type":"ping","extra":{"nested":[1,2,{"x":null}],"n":-1.5e3,"t":true}}""",
            """{"type":"command","line":"/msg bob /color blue hi"}""",
            """{"type":"quit"}""",
            "/msg bob hello there",
            "/private bob /color red hi",
            "/color green text",
            "//not a command",
            "/who",
            "/",
            "plain chat line with caf\u00e9 and \U0001F600",
            "\u001b[2J\u001b]0;title\u0007\u202eevil",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    public static (byte[] Input, int MaxLineBytes) Next(Random rng)
    {
        var max = rng.Next(4) switch
        {
            0 => rng.Next(1, 9),
            1 => rng.Next(9, 65),
            2 => rng.Next(65, 300),
            _ => 8 * 1024,
        };

        var input = rng.Next(5) switch
        {
            0 => RandomBytes(rng, max),
            1 or 2 => ByteMutator.Default.Mutate(rng, Lines(rng)),
            3 => LongLines(rng, max),
            _ => Lines(rng),
        };
        return (input, max);
    }

    private static byte[] RandomBytes(Random rng, int max)
    {
        var length = rng.Next(Math.Min(3 * max, 4096) + 8);
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = rng.Next(10) switch
            {
                0 => (byte)'\n',
                1 => (byte)'\r',
                2 => (byte)rng.Next(0x80, 0x100),
                3 => (byte)rng.Next(0x00, 0x20),
                _ => (byte)rng.Next(0x20, 0x7F),
            };
        }

        return bytes;
    }

    private static byte[] Lines(Random rng)
    {
        var output = new List<byte>();
        var count = rng.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            output.AddRange(ValidLines[rng.Next(ValidLines.Length)]);
            output.AddRange(rng.Next(3) == 0 ? "\r\n"u8.ToArray() : "\n"u8.ToArray());
        }

        return [.. output];
    }

    private static byte[] LongLines(Random rng, int max)
    {
        var output = new List<byte>();
        var count = rng.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var length = Math.Max(0, max + rng.Next(-2, Math.Min(3 * max, 20_000) + 3));
            var fill = (byte)rng.Next(0x20, 0x7F);
            output.AddRange(Enumerable.Repeat(fill, length));
            switch (rng.Next(4))
            {
                case 0: output.AddRange("\r\n"u8.ToArray()); break;
                case 1: break; // Unterminated: the next line runs on.
                default: output.Add((byte)'\n'); break;
            }

            if (rng.Next(2) == 0)
            {
                output.AddRange(ValidLines[rng.Next(ValidLines.Length)]);
                output.Add((byte)'\n');
            }
        }

        return [.. output];
    }
}
