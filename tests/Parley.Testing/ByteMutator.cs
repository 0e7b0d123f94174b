namespace Parley.Testing;

/// <summary>
/// The mutations every fuzz test applies to a valid input (protocol parsers, the real server's
/// sockets, the client's parser): flip a bit, insert a byte, delete or repeat a run, cut the rest
/// off, or splice in a token that tends to sit on a boundary. One implementation, so a mutation
/// found useful in one place is used in all of them; the same seed gives the same bytes.
/// </summary>
public sealed class ByteMutator(IReadOnlyList<byte[]> tokens)
{
    /// <summary>Fragments parsers get wrong: terminators, escapes, broken UTF-8, deep nesting, command prefixes.</summary>
    public static readonly IReadOnlyList<byte[]> BoundaryTokens =
    [
        "\n"u8.ToArray(), "\r\n"u8.ToArray(), "\r"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "\""u8.ToArray(),
        "\\"u8.ToArray(), "\\u0000"u8.ToArray(), "\\ud800"u8.ToArray(), "\\udc00"u8.ToArray(), "\\u001b"u8.ToArray(),
        "\\ud83d\\ude00"u8.ToArray(), "\u001b["u8.ToArray(), "\u001b]"u8.ToArray(), "\u001b("u8.ToArray(), "\u0007"u8.ToArray(),
        "\U0001F600"u8.ToArray(), "\u20ac"u8.ToArray(), "\u202e"u8.ToArray(), "\u0085"u8.ToArray(), "\u009b"u8.ToArray(),
        [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x9F], [0xE2, 0x82], [0xFF], [0x80],
        "[[[[[[[[[[[[[[[[[["u8.ToArray(), "]]]]"u8.ToArray(), ",\"type\":"u8.ToArray(), "\"content\":"u8.ToArray(),
        "\":[{\"type\":"u8.ToArray(), "null"u8.ToArray(), "1e999"u8.ToArray(), "true"u8.ToArray(), "/msg "u8.ToArray(),
        "/color "u8.ToArray(), "//"u8.ToArray(), " "u8.ToArray(), "\t"u8.ToArray(),
    ];

    public static ByteMutator Default { get; } = new(BoundaryTokens);

    /// <summary>Applies 1 to <paramref name="maxMutations"/> random mutations to a copy of <paramref name="seed"/>.</summary>
    public byte[] Mutate(Random rng, ReadOnlySpan<byte> seed, int maxMutations = 5)
    {
        var bytes = new List<byte>(seed.Length + 32);
        bytes.AddRange(seed);
        for (var m = rng.Next(1, maxMutations + 1); m > 0; m--)
        {
            var at = rng.Next(bytes.Count + 1);
            switch (rng.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[rng.Next(bytes.Count)] ^= (byte)(1 << rng.Next(8));
                    break;
                case 1:
                    bytes.Insert(at, (byte)rng.Next(256));
                    break;
                case 2 when at < bytes.Count:
                    bytes.RemoveRange(at, rng.Next(1, Math.Min(8, bytes.Count - at) + 1));
                    break;
                case 3 when at < bytes.Count:
                    bytes.InsertRange(at, bytes.GetRange(at, rng.Next(1, Math.Min(16, bytes.Count - at) + 1)));
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    if (tokens.Count > 0)
                    {
                        bytes.InsertRange(at, tokens[rng.Next(tokens.Count)]);
                    }

                    break;
            }
        }

        return [.. bytes];
    }
}
