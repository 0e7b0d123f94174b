namespace Parley.Bench.Tests;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_are_within_the_bucket_error_and_clamped_to_min_and_max()
    {
        var histogram = new LatencyHistogram();
        for (long v = 1; v <= 100_000; v++)
        {
            histogram.Record(v * 37);
        }

        Assert.Equal(37, histogram.Min);
        Assert.Equal(3_700_000, histogram.Max);
        foreach (var q in new[] { 0.5, 0.9, 0.99, 0.999 })
        {
            var exact = Math.Ceiling(q * 100_000) * 37;
            Assert.InRange(histogram.Percentile(q), exact * 0.984, exact * 1.016);
        }

        Assert.Equal(3_700_000, histogram.Percentile(1.0));
    }

    [Fact]
    public void Merged_histograms_count_everything_and_small_values_are_exact()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        a.Record(5);
        a.Record(-3); // clamped to 0
        b.Record(100);
        a.Add(b);

        Assert.Equal(3, a.Count);
        Assert.Equal(0, a.Min);
        Assert.Equal(100, a.Max);
        Assert.Equal(5, a.Percentile(0.5));
    }
}
