using Passkeys.Load;

namespace Passkeys.Cli.Tests.Bench;

/// <summary>The histogram's percentiles against distributions whose percentiles are known exactly.</summary>
public sealed class LatencyHistogramTests
{
    // Log buckets are 1/64 of their value wide and report the midpoint: within 1/128 of the truth.
    private const double Precision = 1.0 / 128;

    private static void Near(double expected, long actual) =>
        Assert.True(Math.Abs(actual - expected) <= (expected * Precision) + 1, $"expected {expected} within {Precision:P2}, got {actual}");

    [Fact]
    public void An_empty_histogram_reports_zeros()
    {
        var h = new LatencyHistogram();
        Assert.Equal(0, h.Count);
        Assert.Equal(0, h.Percentile(50));
        Assert.Equal(0, h.Percentile(100));
        Assert.Equal(0, h.Max);
        Assert.Equal(0, h.Mean);
    }

    [Fact]
    public void Values_below_128_are_exact()
    {
        var h = new LatencyHistogram();
        for (int v = 1; v <= 100; v++)
        {
            h.Record(v);
        }
        Assert.Equal(50, h.Percentile(50));
        Assert.Equal(90, h.Percentile(90));
        Assert.Equal(99, h.Percentile(99));
        Assert.Equal(100, h.Percentile(100));
        Assert.Equal(1, h.Percentile(0));
        Assert.Equal(1, h.Min);
        Assert.Equal(50.5, h.Mean);
    }

    [Fact]
    public void Uniform_distribution_percentiles_are_within_the_bucket_precision()
    {
        var h = new LatencyHistogram();
        for (int v = 1; v <= 1_000_000; v++)
        {
            h.Record(v);
        }
        Near(500_000, h.Percentile(50));
        Near(900_000, h.Percentile(90));
        Near(990_000, h.Percentile(99));
        Near(999_000, h.Percentile(99.9));
        Assert.Equal(1_000_000, h.Percentile(100));
        Assert.Equal(1_000_000, h.Max);
        Assert.Equal(1_000_000, h.Count);
    }

    [Fact]
    public void Exponential_distribution_percentiles_match_its_quantile_function()
    {
        // Deterministic sample: the n quantiles (i + 0.5) / n of an exponential with mean 20 ms.
        const double mean = 20_000;
        const int n = 200_000;
        var h = new LatencyHistogram();
        for (int i = 0; i < n; i++)
        {
            h.Record((long)Math.Round(-Math.Log(1 - ((i + 0.5) / n)) * mean));
        }
        foreach (double p in new[] { 50, 90, 99, 99.9 })
        {
            Near(-Math.Log(1 - (p / 100)) * mean, h.Percentile(p));
        }
        Assert.InRange(h.Mean, mean * 0.99, mean * 1.01);
    }

    [Fact]
    public void A_bimodal_distribution_keeps_its_modes_apart()
    {
        var h = new LatencyHistogram();
        for (int i = 0; i < 900; i++)
        {
            h.Record(1_000);
        }
        for (int i = 0; i < 100; i++)
        {
            h.Record(250_000);
        }
        Near(1_000, h.Percentile(50));
        Near(1_000, h.Percentile(90));
        Near(250_000, h.Percentile(90.1));
        Assert.Equal(250_000, h.Percentile(99));  // clamped to the exact max
    }

    [Fact]
    public void A_constant_is_reported_exactly()
    {
        var h = new LatencyHistogram();
        for (int i = 0; i < 1000; i++)
        {
            h.Record(123_457);
        }
        Assert.Equal(123_457, h.Percentile(1));
        Assert.Equal(123_457, h.Percentile(50));
        Assert.Equal(123_457, h.Percentile(99.99));
    }

    [Fact]
    public void Merged_histograms_equal_one_that_saw_every_value()
    {
        var all = new LatencyHistogram();
        var odd = new LatencyHistogram();
        var even = new LatencyHistogram();
        for (int v = 1; v <= 50_000; v++)
        {
            long value = (long)v * v % 3_000_017;
            all.Record(value);
            (v % 2 == 0 ? even : odd).Record(value);
        }
        var merged = new LatencyHistogram();
        merged.Add(odd);
        merged.Add(even);
        merged.Add(new LatencyHistogram());
        Assert.Equal(all.Count, merged.Count);
        Assert.Equal(all.Min, merged.Min);
        Assert.Equal(all.Max, merged.Max);
        Assert.Equal(all.Sum, merged.Sum);
        foreach (double p in new[] { 0, 10, 50, 90, 99, 99.9, 100 })
        {
            Assert.Equal(all.Percentile(p), merged.Percentile(p));
        }
    }

    [Fact]
    public void Values_beyond_the_tracked_range_keep_an_exact_max_and_negatives_count_as_zero()
    {
        var h = new LatencyHistogram();
        h.Record(-5);
        h.Record(LatencyHistogram.HighestTrackable * 4);
        Assert.Equal(0, h.Min);
        Assert.Equal(0, h.Percentile(50));
        Assert.Equal(LatencyHistogram.HighestTrackable * 4, h.Percentile(100));
        Near(LatencyHistogram.HighestTrackable, h.Percentile(99));
    }
}
