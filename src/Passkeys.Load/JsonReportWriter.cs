using System.Text.Json;

namespace Passkeys.Load;

/// <summary>
/// The report for machines (<c>--json</c>). Fields: <c>server</c>, <c>tenant</c>, <c>runId</c>,
/// <c>startedAt</c>, <c>options</c>, <c>aborted</c> (null or the message), <c>cancelled</c>,
/// <c>setup</c> {users, registered, seconds, errors}, <c>warmup</c> {seconds, ceremonies},
/// <c>measured</c> {seconds, ceremonies, succeeded, failed, errorRate, throughputPerSecond},
/// <c>operations</c> [{operation, succeeded, failed, latencyMs {begin|device|finish|ceremony:
/// {count, mean, p50, p90, p99, max}}}], <c>errors</c> [{kind, code, name, status, count, detail,
/// sites [{operation, stage, count}]}], <c>rateLimited</c>, <c>client</c> {cpuSeconds, cores,
/// cpuShare, serverInProcess}, <c>exitCode</c>. Latencies are milliseconds.
/// </summary>
public static class JsonReportWriter
{
    /// <summary>Writes <paramref name="report"/> as indented JSON.</summary>
    public static void Write(LoadReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        var o = report.Options;
        w.WriteStartObject();
        w.WriteString("server", o.Server.ToString());
        w.WriteString("tenant", o.Tenant);
        w.WriteString("origin", o.EffectiveOrigin);
        w.WriteString("runId", report.RunId);
        w.WriteString("startedAt", report.StartedAt);

        w.WriteStartObject("options");
        w.WriteNumber("users", o.Users);
        w.WriteNumber("concurrency", o.Concurrency);
        if (o.Iterations is long n)
        {
            w.WriteNumber("iterations", n);
            w.WriteNull("durationSeconds");
        }
        else
        {
            w.WriteNull("iterations");
            w.WriteNumber("durationSeconds", o.Duration.TotalSeconds);
        }
        w.WriteNumber("warmupSeconds", o.Warmup.TotalSeconds);
        w.WriteString("mix", o.Mix.ToString());
        w.WriteNumber("maxErrorRate", o.MaxErrorRate);
        w.WriteBoolean("apiKey", o.ApiKey is not null);
        w.WriteEndObject();

        if (report.Aborted is null)
        {
            w.WriteNull("aborted");
        }
        else
        {
            w.WriteString("aborted", report.Aborted);
        }
        w.WriteBoolean("cancelled", report.Cancelled);

        w.WriteStartObject("setup");
        w.WriteNumber("users", o.Users);
        w.WriteNumber("registered", report.UsersRegistered);
        w.WriteNumber("seconds", report.SetupTime.TotalSeconds);
        WriteErrors(w, "errors", report.Setup);
        w.WriteEndObject();

        w.WriteStartObject("warmup");
        w.WriteNumber("seconds", report.WarmupTime.TotalSeconds);
        w.WriteNumber("ceremonies", report.WarmupCeremonies);
        w.WriteEndObject();

        w.WriteStartObject("measured");
        w.WriteBoolean("ran", report.MeasuredPhaseRan);
        w.WriteNumber("seconds", report.MeasuredTime.TotalSeconds);
        w.WriteNumber("ceremonies", report.Ceremonies);
        w.WriteNumber("succeeded", report.Succeeded);
        w.WriteNumber("failed", report.Failed);
        w.WriteNumber("errorRate", report.ErrorRate);
        w.WriteNumber("throughputPerSecond", report.Throughput);
        w.WriteEndObject();

        w.WriteStartArray("operations");
        foreach (var operation in OperationNames.All)
        {
            var m = report.Measured;
            w.WriteStartObject();
            w.WriteString("operation", OperationNames.Name(operation));
            w.WriteNumber("succeeded", m.Succeeded(operation));
            w.WriteNumber("failed", m.Failed(operation));
            w.WriteStartObject("latencyMs");
            foreach (var stage in OperationNames.Stages)
            {
                var h = m.Latency(operation, stage);
                w.WriteStartObject(OperationNames.Name(stage));
                w.WriteNumber("count", h.Count);
                w.WriteNumber("mean", Math.Round(h.Mean / 1000, 3));
                w.WriteNumber("p50", h.Percentile(50) / 1000.0);
                w.WriteNumber("p90", h.Percentile(90) / 1000.0);
                w.WriteNumber("p99", h.Percentile(99) / 1000.0);
                w.WriteNumber("max", h.Max / 1000.0);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();

        WriteErrors(w, "errors", report.Measured);
        w.WriteBoolean("rateLimited", report.RateLimited);

        w.WriteStartObject("client");
        w.WriteNumber("cpuSeconds", report.ProcessCpu.TotalSeconds);
        w.WriteNumber("cores", report.Cores);
        w.WriteNumber("cpuShare", report.CpuShare);
        w.WriteBoolean("serverInProcess", o.ServerInProcess);
        w.WriteEndObject();

        w.WriteNumber("exitCode", report.ExitCode);
        w.WriteEndObject();
    }

    private static void WriteErrors(Utf8JsonWriter w, string name, WorkerStats stats)
    {
        w.WriteStartArray(name);
        foreach (var e in ErrorSummary.Of(stats))
        {
            w.WriteStartObject();
            w.WriteString("kind", e.Error.Kind.ToString().ToLowerInvariant());
            w.WriteNumber("code", e.Error.Code);
            w.WriteString("name", e.Error.Name);
            w.WriteNumber("status", e.Error.Status);
            w.WriteNumber("count", e.Count);
            if (e.Detail is null)
            {
                w.WriteNull("detail");
            }
            else
            {
                w.WriteString("detail", e.Detail);
            }
            w.WriteStartArray("sites");
            foreach (var (site, count) in e.Sites)
            {
                w.WriteStartObject();
                w.WriteString("operation", OperationNames.Name(site.Operation));
                w.WriteString("stage", OperationNames.Name(site.Stage));
                w.WriteNumber("count", count);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
