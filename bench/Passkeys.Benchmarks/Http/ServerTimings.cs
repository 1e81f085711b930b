using System.Diagnostics.Metrics;

namespace Passkeys.Benchmarks.Http;

/// <summary>
/// A rough profile of the in-process server from its own instruments (meter <c>Passkeys.Server</c>):
/// total server time per ceremony step (<c>passkeys.ceremony.duration</c>, by ceremony and phase)
/// and total store time per operation (<c>passkeys.store.duration</c>). Where the server's time
/// goes, without a profiler: store time against handler time says whether the database is the wall.
/// </summary>
internal sealed class ServerTimings : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Count, double Seconds)> _steps = [];
    private readonly Dictionary<string, (long Count, double Seconds)> _store = [];
    private bool _recording;

    public ServerTimings()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Passkeys.Server" && instrument.Name is "passkeys.ceremony.duration" or "passkeys.store.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Forgets what was seen (setup, warm-up) and counts from now on.</summary>
    public void Restart()
    {
        lock (_lock)
        {
            _steps.Clear();
            _store.Clear();
            _recording = true;
        }
    }

    /// <summary>Stops counting.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _recording = false;
        }
    }

    private void OnMeasurement(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? ceremony = null, phase = null, operation = null;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "ceremony": ceremony = tag.Value as string; break;
                case "phase": phase = tag.Value as string; break;
                case "operation": operation = tag.Value as string; break;
            }
        }
        bool step = instrument.Name == "passkeys.ceremony.duration";
        string key = step ? $"{ceremony} {phase}" : operation ?? "?";
        lock (_lock)
        {
            if (!_recording)
            {
                return;
            }
            var table = step ? _steps : _store;
            var (count, total) = table.GetValueOrDefault(key);
            table[key] = (count + 1, total + seconds);
        }
    }

    public void Write(TextWriter output, TimeSpan wall)
    {
        lock (_lock)
        {
            double stepTotal = _steps.Values.Sum(v => v.Seconds);
            double storeTotal = _store.Values.Sum(v => v.Seconds);
            output.WriteLine($"server time (its own instruments), over {wall.TotalSeconds:0.0} s of wall time:");
            output.WriteLine($"  {"ceremony step",-28} {"count",8} {"mean ms",9} {"total s",9}");
            foreach (var (name, (count, seconds)) in _steps.OrderByDescending(e => e.Value.Seconds))
            {
                output.WriteLine($"  {name,-28} {count,8} {seconds / count * 1000,9:0.00} {seconds,9:0.00}");
            }
            output.WriteLine($"  {"store operation",-28} {"count",8} {"mean ms",9} {"total s",9}");
            foreach (var (name, (count, seconds)) in _store.OrderByDescending(e => e.Value.Seconds))
            {
                output.WriteLine($"  {name,-28} {count,8} {seconds / count * 1000,9:0.00} {seconds,9:0.00}");
            }
            output.WriteLine($"  store time is {(stepTotal > 0 ? storeTotal / stepTotal : 0):0%} of the time requests spent in ceremony steps " +
                $"({storeTotal:0.0} of {stepTotal:0.0} s, summed over concurrent requests)");
        }
    }

    public void Dispose() => _listener.Dispose();
}
