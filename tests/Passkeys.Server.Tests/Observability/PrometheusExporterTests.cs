using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Passkeys.Server.Observability;

namespace Passkeys.Server.Tests.Observability;

/// <summary>
/// The exporter finds a measurement's series by its tags without rebuilding the label text: one
/// tag set is one series whatever order its tags come in, different values are different series,
/// and measurements with more tags than the fast key holds still count.
/// </summary>
public sealed class PrometheusExporterTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Series_are_found_by_their_tags_in_any_order_and_with_many_tags()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        using var exporter = new PrometheusExporter(factory);
        var meter = factory.Create(PasskeysMetrics.MeterName);
        var counter = meter.CreateCounter<long>("test_events");

        counter.Add(1, new("a", "x"), new("b", "y"));
        counter.Add(1, new("b", "y"), new("a", "x")); // the same tags, the other order
        counter.Add(1, new("a", "x"), new("b", "z"));
        counter.Add(1, new("a", "x"), new("b", "y"));
        KeyValuePair<string, object?>[] many = [new("a", "1"), new("b", "2"), new("c", "3"), new("d", "4"), new("e", "5")];
        counter.Add(2, many);
        counter.Add(3, many.Reverse().ToArray());

        var lines = exporter.Render().Split('\n').Where(l => l.StartsWith("test_events_total", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            "test_events_total{a=\"1\",b=\"2\",c=\"3\",d=\"4\",e=\"5\"} 5",
            "test_events_total{a=\"x\",b=\"y\"} 3",
            "test_events_total{a=\"x\",b=\"z\"} 1",
        ], lines);
    }
}
