namespace Passkeys.Load;

/// <summary>
/// A latency histogram in the manner of HdrHistogram: values (microseconds) below 128 each have
/// their own bucket; above that every power of two is split into 64 equal buckets, so any recorded
/// value is known to within 1/64 of itself (reported at the bucket's midpoint: within 0.8%).
/// Memory is fixed (1 728 counters, ~14 KB) whatever the number of values, recording is a few
/// shifts and one increment, and histograms merge by adding counters, so each worker keeps its own
/// and nothing is shared or locked while the load runs. Not thread-safe.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits;   // 128: the exact range [0, 128)
    private const int HalfCount = SubBucketCount / 2;        // 64 buckets per power of two above it

    /// <summary>The largest value kept apart (about 71 minutes in microseconds); larger values count as this, while <see cref="Max"/> stays exact.</summary>
    public const long HighestTrackable = (1L << 32) - 1;

    private static readonly int BucketCount = IndexOf(HighestTrackable) + 1;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>How many values were recorded.</summary>
    public long Count { get; private set; }

    /// <summary>The smallest value recorded (0 when empty).</summary>
    public long Min { get; private set; }

    /// <summary>The largest value recorded, exactly (0 when empty).</summary>
    public long Max { get; private set; }

    /// <summary>The sum of all values (for the mean).</summary>
    public long Sum { get; private set; }

    /// <summary>The mean of the recorded values (0 when empty).</summary>
    public double Mean => Count == 0 ? 0 : (double)Sum / Count;

    /// <summary>Records one value; negative values count as 0.</summary>
    public void Record(long value)
    {
        if (value < 0)
        {
            value = 0;
        }
        _counts[IndexOf(value > HighestTrackable ? HighestTrackable : value)]++;
        if (Count == 0 || value < Min)
        {
            Min = value;
        }
        if (value > Max)
        {
            Max = value;
        }
        Count++;
        Sum += value;
    }

    /// <summary>Adds every value of <paramref name="other"/> to this histogram.</summary>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return;
        }
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
        Min = Count == 0 ? other.Min : Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
        Count += other.Count;
        Sum += other.Sum;
    }

    /// <summary>
    /// The value at <paramref name="percentile"/> (0–100): the smallest recorded value such that at
    /// least that share of all values is at or below it, as its bucket's midpoint (exact below 128,
    /// within 0.8% above), never outside [<see cref="Min"/>, <see cref="Max"/>]. 0 when empty.
    /// </summary>
    public long Percentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }
        if (percentile >= 100)
        {
            return Max;
        }
        long rank = (long)Math.Ceiling(Math.Max(0, percentile) / 100 * Count);
        if (rank < 1)
        {
            rank = 1;
        }
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Clamp(Midpoint(i), Min, Max);
            }
        }
        return Max;
    }

    // Below 128 a value is its own index. Above, with e = floor(log2 v) ≥ 7 and shift = e - 6, the
    // top seven bits (v >> shift, in [64, 128)) pick one of 64 buckets within that power of two.
    private static int IndexOf(long value)
    {
        if (value < SubBucketCount)
        {
            return (int)value;
        }
        int shift = 63 - (int)long.LeadingZeroCount(value) - (SubBucketBits - 1);
        long top = value >> shift;
        return SubBucketCount + ((shift - 1) * HalfCount) + (int)(top - HalfCount);
    }

    private static long Midpoint(int index)
    {
        if (index < SubBucketCount)
        {
            return index;
        }
        int shift = ((index - SubBucketCount) / HalfCount) + 1;
        long top = ((index - SubBucketCount) % HalfCount) + HalfCount;
        long low = top << shift;
        return low + ((1L << shift) / 2);
    }
}
