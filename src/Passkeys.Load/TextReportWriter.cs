using System.Globalization;

namespace Passkeys.Load;

/// <summary>The report for people: phases, throughput, a latency table per operation and stage, errors with hints, CPU.</summary>
public static class TextReportWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes <paramref name="report"/> to <paramref name="output"/>.</summary>
    public static void Write(LoadReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var o = report.Options;
        output.WriteLine(F($"passkeys bench: {o.Server} tenant {o.Tenant}, origin {o.EffectiveOrigin}, run {report.RunId}"));
        if (report.Aborted is not null)
        {
            output.WriteLine("stopped before measuring: " + report.Aborted);
            return;
        }
        output.WriteLine(F($"{"setup",-11} {report.UsersRegistered}/{o.Users} users registered ({(o.ApiKey is null ? "self sign-up" : "API key")}) in {report.SetupTime.TotalSeconds:0.0} s"));
        WriteErrors(output, "setup errors", report.Setup);
        if (report.WarmupTime > TimeSpan.Zero)
        {
            output.WriteLine(F($"{"warm-up",-11} {report.WarmupTime.TotalSeconds:0.0} s, {report.WarmupCeremonies} ceremonies (not counted)"));
        }
        if (!report.MeasuredPhaseRan)
        {
            output.WriteLine("measured    nothing: stopped (Ctrl+C) before the measured phase");
            return;
        }
        output.WriteLine(F($"{"measured",-11} {report.MeasuredTime.TotalSeconds:0.0} s, {o.Concurrency} at a time, mix {o.Mix}{(report.Cancelled ? "; STOPPED by Ctrl+C, partial figures" : "")}"));
        output.WriteLine(F($"{"ceremonies",-11} {report.Ceremonies}: {report.Succeeded} ok, {report.Failed} failed ({report.ErrorRate:0.##%})"));
        output.WriteLine(F($"{"throughput",-11} {report.Throughput:0.0} successful ceremonies/s"));
        output.WriteLine();

        output.WriteLine(F($"{"latency, ms",-30} {"count",8} {"p50",8} {"p90",8} {"p99",8} {"max",8}"));
        foreach (var operation in OperationNames.All)
        {
            var m = report.Measured;
            if (m.Succeeded(operation) + m.Failed(operation) == 0)
            {
                continue;
            }
            output.WriteLine(F($"{OperationNames.Name(operation)}  ({m.Succeeded(operation)} ok, {m.Failed(operation)} failed)"));
            foreach (var stage in OperationNames.Stages)
            {
                var h = m.Latency(operation, stage);
                output.WriteLine(F($"  {OperationNames.Name(stage),-28} {h.Count,8} {Ms(h.Percentile(50)),8} {Ms(h.Percentile(90)),8} {Ms(h.Percentile(99)),8} {Ms(h.Max),8}"));
            }
        }
        WriteErrors(output, "errors", report.Measured);
        if (report.RateLimited)
        {
            output.WriteLine("hint: " + SetupDiagnosis.RateLimitHint);
        }
        output.WriteLine();
        output.WriteLine(F($"{(o.ServerInProcess ? "process CPU" : "client CPU"),-11} {report.ProcessCpu.TotalSeconds:0.0} s over {report.MeasuredTime.TotalSeconds:0.0} s = {report.CpuShare:0%} of {report.Cores} cores; {CpuNote(report)}"));
        output.WriteLine(report.ExitCode == 0
            ? F($"result: ok (error rate {report.ErrorRate:0.##%} <= {o.MaxErrorRate:0.##%})")
            : report.Succeeded == 0
                ? "result: FAILED (no ceremony succeeded)"
                : F($"result: FAILED (error rate {report.ErrorRate:0.##%} > --max-error-rate {o.MaxErrorRate:0.##%})"));
    }

    private static void WriteErrors(TextWriter output, string title, WorkerStats stats)
    {
        var errors = ErrorSummary.Of(stats);
        if (errors.Count == 0)
        {
            return;
        }
        output.WriteLine(title + ":");
        foreach (var e in errors)
        {
            var where = string.Join(", ", e.Sites.Select(s => F($"{OperationNames.Name(s.Site.Operation)} {OperationNames.Name(s.Site.Stage)} {s.Count}")));
            output.WriteLine(F($"  {e.Error,-36} {e.Count,8}   at {where}"));
            if (e.Detail is not null)
            {
                output.WriteLine("      " + (e.Detail.Length > 160 ? e.Detail[..160] + "…" : e.Detail));
            }
        }
    }

    private static string CpuNote(LoadReport report) =>
        report.Options.ServerInProcess
            ? "this process runs the server too, so that is server and generator together (see the 'device' rows for the generator's own signing)"
            : report.CpuShare > 0.5
                ? "the generator itself is busy: on the server's machine it takes CPU from the server; near 100% it is the bottleneck (lower --concurrency or run it elsewhere)"
                : "the generator is not the bottleneck";

    private static string Ms(long microseconds) => (microseconds / 1000.0).ToString(microseconds < 10_000 ? "0.00" : "0.0", Inv);

    private static string F(FormattableString text) => text.ToString(Inv);
}
