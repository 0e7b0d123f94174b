namespace Parley.Bench.Tests;

/// <summary>
/// Against a relay with chosen faults, each fault must land in its own counter, exactly once, while
/// every line reaches the client in 7-byte pieces.
/// </summary>
public sealed class AccountingTests
{
    [Fact]
    public async Task Duplicates_garbled_lost_foreign_and_misattributed_lines_are_each_counted()
    {
        await using var relay = new ScriptedRelay();
        relay.Rewrite = (name, line) => (Sequence(line)) switch
        {
            3 => [Relayed(name, line), Relayed(name, line)],
            5 => [Relayed(name, line[..^3])],
            7 => [],
            9 => [Relayed("mallory", line)],
            11 => [Relayed(name, line), Relayed(name, OtherRun(line))],
            _ => [Relayed(name, line)],
        };
        var options = BenchTestOptions.Fanout(relay.Port, BenchProtocol.Text, receivers: 1, senders: 1, messages: 20);
        options.Drain = TimeSpan.FromMilliseconds(500);
        var result = await BenchRunner.RunAsync(options);

        Assert.Equal(BenchOutcome.Completed, result.Outcome);
        Assert.Equal(20, result.Expected);
        Assert.Equal(18, result.Delivered); // 5 garbled and 7 dropped
        Assert.Equal(2, result.Lost);
        Assert.Equal(1, result.Duplicates);
        Assert.Equal(1, result.Garbled);
        Assert.Equal(1, result.NameMismatches);
        Assert.Equal(1, result.Foreign);
        Assert.Equal(0, result.SelfEchoes);
        Assert.True(result.Stalled);
    }

    [Fact]
    public async Task Without_a_welcome_registration_counts_once_the_name_is_written()
    {
        await using var relay = new ScriptedRelay { ChunkBytes = 4096 };
        var options = BenchTestOptions.Fanout(relay.Port, BenchProtocol.Text, receivers: 3, senders: 2, messages: 100);
        options.NoWelcome = true;
        var result = await BenchRunner.RunAsync(options);

        Assert.Equal(BenchOutcome.Completed, result.Outcome);
        Assert.Equal(400, result.Delivered);
        Assert.Equal(0, result.Lost);
    }

    private static string Relayed(string name, string line) => $"[00:00:00] {name}: {line}";

    // "~pb~M" + 4-character run id + seq + "." ...; -1 for anything else (the probe).
    private static int Sequence(string line)
    {
        if (!line.StartsWith("~pb~M", StringComparison.Ordinal))
        {
            return -1;
        }

        var digits = line[9..line.IndexOf('.', StringComparison.Ordinal)];
        return int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string OtherRun(string line)
    {
        var other = line[5..9] == "zzzz" ? "yyyy" : "zzzz";
        return line[..5] + other + line[9..];
    }
}
