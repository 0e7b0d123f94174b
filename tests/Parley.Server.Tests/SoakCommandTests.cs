using Parley.Testing;

namespace Parley.Server.Tests;

public sealed class SoakCommandTests
{
    [Theory]
    [InlineData("soak")]
    [InlineData("bench soak")]
    public async Task A_short_soak_samples_the_server_and_reports_no_errors(string command)
    {
        await using var soak = ParleyProcess.Start([.. command.Split(' '), "--minutes", "0.05", "--report", "1", "--clients", "5", "--churn", "5", "--rate", "5"]);
        var done = await soak.ExpectOutputAsync("soak: done", TimeSpan.FromSeconds(60));
        Assert.Equal(0, await soak.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains(" 0 errors", done, StringComparison.Ordinal);
        Assert.Contains(soak.Output, l => l.StartsWith("elapsed  conns", StringComparison.Ordinal));

        // At least a start, a middle and a final sample, each with connections and handles.
        var samples = soak.Output.Where(l => l.Length > 8 && l[2] == ':' && l[5] == ':').ToList();
        Assert.True(samples.Count >= 3, string.Join("\n", soak.Output));
        Assert.Contains(samples, s => int.Parse(s.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) >= 5);
    }
}
