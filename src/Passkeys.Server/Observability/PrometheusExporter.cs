using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Passkeys.Server.Observability;

/// <summary>
/// A small Prometheus text exposition (format 0.0.4) of this app's <c>Passkeys.Server</c> meter,
/// fed by a <see cref="MeterListener"/>: counters as <c>_total</c>, histograms as cumulative
/// <c>_bucket</c>/<c>_sum</c>/<c>_count</c>. Only meters created by this app's
/// <see cref="IMeterFactory"/> are listened to, so several apps in one process do not mix.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] Bounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _series = new();
    private readonly IMeterFactory _factory;

    // An instrument's series by their label text (what is rendered), and the same series by the
    // tags measurements arrive with (what each measurement looks up, without building the text).
    private sealed class InstrumentSeries
    {
        public readonly ConcurrentDictionary<string, Series> ByLabels = new(StringComparer.Ordinal);
        public readonly ConcurrentDictionary<PrometheusTagSet, Series> ByTags = new();
    }

    private sealed class Series
    {
        public double Sum;
        public long Count;
        public readonly long[] Buckets = new long[Bounds.Length + 1];
        public readonly Lock Gate = new();
    }

    /// <summary>Starts listening.</summary>
    public PrometheusExporter(IMeterFactory meterFactory)
    {
        _factory = meterFactory;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PasskeysMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, _factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var all = _series.GetOrAdd(instrument, _ => new());
        Series series;
        if (PrometheusTagSet.TryCreate(tags, out var set))
        {
            if (!all.ByTags.TryGetValue(set, out series!))
            {
                series = all.ByTags.GetOrAdd(set, all.ByLabels.GetOrAdd(Labels(tags), _ => new Series()));
            }
        }
        else
        {
            series = all.ByLabels.GetOrAdd(Labels(tags), _ => new Series());
        }
        lock (series.Gate)
        {
            series.Sum += value;
            series.Count++;
            if (instrument is Histogram<double> or Histogram<long>)
            {
                var i = 0;
                while (i < Bounds.Length && value > Bounds[i])
                {
                    i++;
                }
                series.Buckets[i]++;
            }
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }
        var pairs = new List<KeyValuePair<string, object?>>(tags.ToArray());
        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var sb = new StringBuilder();
        foreach (var (k, v) in pairs)
        {
            if (sb.Length > 0)
            {
                sb.Append(',');
            }
            sb.Append(Name(k)).Append("=\"").Append(Escape(Convert.ToString(v, CultureInfo.InvariantCulture) ?? "")).Append('"');
        }
        return sb.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Name(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
        return sb.ToString();
    }

    /// <summary>Renders the current values.</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var sb = new StringBuilder();
        foreach (var (instrument, instrumentSeries) in _series.OrderBy(p => p.Key.Name, StringComparer.Ordinal))
        {
            var name = Name(instrument.Name);
            var isHistogram = instrument is Histogram<double> or Histogram<long>;
            if (isHistogram && instrument.Unit == "s")
            {
                name += "_seconds";
            }
            var type = isHistogram ? "histogram" : "counter";
            if (!isHistogram)
            {
                name += "_total";
            }
            sb.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description ?? instrument.Name).Append('\n');
            sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, series) in instrumentSeries.ByLabels.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                lock (series.Gate)
                {
                    if (!isHistogram)
                    {
                        sb.Append(name).Append(Braces(labels)).Append(' ').Append(Format(series.Sum)).Append('\n');
                        continue;
                    }
                    long cumulative = 0;
                    for (var i = 0; i <= Bounds.Length; i++)
                    {
                        cumulative += series.Buckets[i];
                        var le = i < Bounds.Length ? Format(Bounds[i]) : "+Inf";
                        var l = labels.Length == 0 ? $"le=\"{le}\"" : $"{labels},le=\"{le}\"";
                        sb.Append(name).Append("_bucket{").Append(l).Append("} ").Append(cumulative).Append('\n');
                    }
                    sb.Append(name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Format(series.Sum)).Append('\n');
                    sb.Append(name).Append("_count").Append(Braces(labels)).Append(' ').Append(series.Count).Append('\n');
                }
            }
        }
        return sb.ToString();
    }

    private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";
    private static string Format(double value) => value.ToString("G17", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
