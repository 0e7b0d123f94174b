using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Parley.Protocol.Tests;

/// <summary>
/// Seeded random and mutated inputs through the whole protocol layer. The default run takes about
/// <see cref="DefaultSeconds"/> seconds; PARLEY_FUZZ_SECONDS runs longer and PARLEY_FUZZ_SEED picks
/// another sequence. A failing input is shrunk and saved so it can be added to Corpus/.
/// </summary>
public sealed class ProtocolFuzzTests
{
    private const int DefaultSeconds = 10;
    private const int DefaultSeed = 20261122;
    private const int MinIterations = 2_000;
    private const int MaxIterations = 2_000_000;

    [Fact]
    public void Random_and_mutated_inputs_keep_every_protocol_invariant()
    {
        var seconds = ReadEnvironment("PARLEY_FUZZ_SECONDS", DefaultSeconds);
        var seed = ReadEnvironment("PARLEY_FUZZ_SEED", DefaultSeed);
        var budget = TimeSpan.FromSeconds(seconds);
        var master = new Random(seed);
        var clock = Stopwatch.StartNew();
        var iterations = 0;
        while (iterations < MaxIterations && (iterations < MinIterations || clock.Elapsed < budget))
        {
            var caseSeed = master.Next();
            var (input, max) = FuzzInputs.Next(new Random(caseSeed));
            if (Fails(input, max, caseSeed) is { } failure)
            {
                var (smallest, error) = Shrink(input, max, caseSeed, failure);
                var saved = Save(smallest, max);
                Assert.Fail(
                    $"Iteration {iterations} (seed {seed}, case seed {caseSeed}, limit {max}): {error.Message}\n" +
                    $"Shrunk input ({smallest.Length} bytes, base64): {Convert.ToBase64String(smallest)}\n" +
                    $"Saved to {saved}; copy it into tests/Parley.Protocol.Tests/Corpus/ so it is replayed forever.\n{error}");
            }

            iterations++;
        }
    }

    private static Exception? Fails(byte[] input, int max, int caseSeed)
    {
        try
        {
            FuzzChecks.Check(input, max, new Random(caseSeed));
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    // Drops ever smaller chunks while the input still fails, so the corpus holds the essence.
    private static (byte[] Input, Exception Error) Shrink(byte[] input, int max, int caseSeed, Exception error)
    {
        var attempts = 0;
        for (var chunk = Math.Max(1, input.Length / 2); chunk >= 1 && attempts < 5_000; chunk /= 2)
        {
            for (var at = 0; at + chunk <= input.Length && attempts < 5_000; attempts++)
            {
                byte[] candidate = [.. input.AsSpan(0, at), .. input.AsSpan(at + chunk)];
                if (Fails(candidate, max, caseSeed) is { } still)
                {
                    input = candidate;
                    error = still;
                }
                else
                {
                    at += chunk;
                }
            }
        }

        return (input, error);
    }

    private static string Save(byte[] input, int max)
    {
        var folder = Path.Combine(Path.GetTempPath(), "parley-fuzz-failures");
        Directory.CreateDirectory(folder);
        var name = Convert.ToHexStringLower(SHA256.HashData(input))[..12];
        var path = Path.Combine(folder, $"{name}.max{max}.bin");
        File.WriteAllBytes(path, input);
        return path;
    }

    private static int ReadEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
