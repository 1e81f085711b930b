using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Passkeys.Server.Storage;

/// <summary>Store timings: a histogram of operation durations tagged with the operation name.</summary>
public sealed class StoreMetrics
{
    private readonly Histogram<double> _duration;

    /// <summary>Creates the instruments on <paramref name="meter"/>.</summary>
    public StoreMetrics(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _duration = meter.CreateHistogram<double>("passkeys.store.duration", "s", "Duration of store operations.");
    }

    /// <summary>Starts timing <paramref name="operation"/>; dispose to record.</summary>
    public Timing Measure(string operation) => new(this, operation, Stopwatch.GetTimestamp());

    /// <summary>A running measurement.</summary>
    public readonly struct Timing : IDisposable
    {
        private readonly StoreMetrics? _owner;
        private readonly string _operation;
        private readonly long _start;

        internal Timing(StoreMetrics owner, string operation, long start)
        {
            _owner = owner;
            _operation = operation;
            _start = start;
        }

        /// <summary>Records the elapsed time.</summary>
        public void Dispose() =>
            _owner?._duration.Record(Stopwatch.GetElapsedTime(_start).TotalSeconds, new KeyValuePair<string, object?>("operation", _operation));
    }
}
