using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.Protocol.Tests;

/// <summary>
/// Replays every input in Corpus/ (inputs that once broke the protocol layer) through the fuzz
/// invariants. File names end in <c>.max{limit}.bin</c>: the line limit they failed with.
/// </summary>
public sealed partial class CorpusTests
{
    public static TheoryData<string> Files =>
    [
        .. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Corpus"), "*.bin").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal),
    ];

    [Fact]
    public void The_corpus_is_copied_next_to_the_tests()
    {
        Assert.NotEmpty(Files);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Corpus_input_keeps_every_invariant(string file)
    {
        var input = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Corpus", file));
        var match = LimitPattern().Match(file);
        Assert.True(match.Success, $"{file} does not end in .max{{limit}}.bin");
        var recorded = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);

        foreach (var max in new[] { recorded, 1, 16, 8 * 1024 })
        {
            // Several split patterns per limit: the bug may need a particular one.
            for (var seed = 0; seed < 20; seed++)
            {
                FuzzChecks.Check(input, max, new Random(seed));
            }
        }
    }

    [GeneratedRegex(@"\.max(\d+)\.bin$")]
    private static partial Regex LimitPattern();
}
