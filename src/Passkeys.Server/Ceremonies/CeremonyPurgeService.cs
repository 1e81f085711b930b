using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;
using Passkeys.Server.Observability;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Ceremonies;

/// <summary>
/// Deletes expired ceremonies periodically and records each as abandoned (audit, funnel row and metrics); also
/// deletes sessions that ended (expired or revoked) more than a day ago, with their refresh tokens,
/// and audit events and analytics rows older than <c>Audit:Retention</c>. Every purge deletes in batches of at most
/// <c>Purge:BatchSize</c> rows, each one short transaction, pausing <c>Purge:BatchPause</c> between
/// batches: a backlog of millions of rows is never one commit that requests queue behind (on
/// SQLite every write waits for the one before it).
/// </summary>
public sealed partial class CeremonyPurgeService(IPasskeyStore store, AuditLog audit, PasskeysMetrics metrics, TimeProvider time,
    IOptions<PasskeysServerOptions> options, ILogger<CeremonyPurgeService> logger) : BackgroundService
{
    private readonly PurgeOptions _batches = options.Value.Purge;

    /// <summary>Purges once; returns how many ceremonies were removed.</summary>
    public async Task<int> PurgeOnceAsync(CancellationToken ct)
    {
        var ceremonies = await PurgeCeremoniesAsync(ct).ConfigureAwait(false);
        // Kept a day after they end so that a late refresh is told "expired" or "revoked", not "invalid".
        await InBatchesAsync(max => store.PurgeEndedSessionsAsync(time.GetUtcNow() - TimeSpan.FromDays(1), max, ct), untilFewer: true, ct).ConfigureAwait(false);
        // Attempt budgets whose window has ended (AttemptBudget).
        await InBatchesAsync(max => store.PurgeExpiredAttemptsAsync(time.GetUtcNow(), max, ct), untilFewer: true, ct).ConfigureAwait(false);
        await PurgeAuditEventsAsync(ct).ConfigureAwait(false);
        await PurgeAnalyticsAsync(ct).ConfigureAwait(false);
        return ceremonies.Deleted;
    }

    /// <summary>Deletes the audit events past <c>Audit:Retention</c> (none when it is zero or empty).</summary>
    public Task<PurgeResult> PurgeAuditEventsAsync(CancellationToken ct)
    {
        if (options.Value.Audit.Retention is not { } retention || retention <= TimeSpan.Zero)
        {
            return Task.FromResult(new PurgeResult(0, 0));
        }
        // Until a batch finds nothing, not until one is short: a row whose time is later than its
        // id suggests (clocks of nodes differ a little) shortens a batch without ending the backlog.
        return InBatchesAsync(max => store.PurgeAuditEventsAsync(time.GetUtcNow() - retention, max, ct), untilFewer: false, ct);
    }

    /// <summary>
    /// Deletes the analytics rows (ceremony funnel rows, app-reported sign-ins) past <c>Audit:Retention</c>,
    /// which they share with the audit events they summarise (none when it is zero or empty).
    /// </summary>
    public Task<PurgeResult> PurgeAnalyticsAsync(CancellationToken ct)
    {
        if (options.Value.Audit.Retention is not { } retention || retention <= TimeSpan.Zero)
        {
            return Task.FromResult(new PurgeResult(0, 0));
        }
        return InBatchesAsync(max => store.PurgeAnalyticsAsync(time.GetUtcNow() - retention, max, ct), untilFewer: true, ct);
    }

    // Each batch deletes its ceremonies, marks their funnel rows abandoned (docs/analytics.md) and
    // writes their "abandoned" events in one commit: a purge that cannot write the events deletes
    // and marks nothing, and the next one tries again.
    private Task<PurgeResult> PurgeCeremoniesAsync(CancellationToken ct) => InBatchesAsync(async max =>
    {
        IReadOnlyList<CeremonyRecord> purged;
        await using (var step = await store.BeginStepAsync(ct).ConfigureAwait(false))
        {
            purged = await step.PurgeExpiredCeremoniesAsync(time.GetUtcNow(), max, ct).ConfigureAwait(false);
            foreach (var c in purged.Where(Abandoned))
            {
                await step.AppendAuditEventAsync(audit.Event(c.TenantId, Observability.Ceremonies.Of(c.Kind), "abandoned",
                    c.Kind == CeremonyKind.RecoveryGrant ? null : c.Id, c.UserId, null, null, null, null, TimeSpan.Zero), ct).ConfigureAwait(false);
            }
            await step.CommitAsync(ct).ConfigureAwait(false);
        }
        foreach (var c in purged.Where(Abandoned))
        {
            metrics.Abandoned(Observability.Ceremonies.Of(c.Kind));
        }
        return purged.Count;
    }, untilFewer: true, ct);

    // A cancelled invitation was ended by an operator (audited then), not abandoned: its expiry ends nothing.
    private static bool Abandoned(CeremonyRecord c) => c.Kind != CeremonyKind.CancelledOperatorInvitation;

    // Runs batch after batch (each deletes at most BatchSize rows and commits) with a pause between
    // them, until a batch deletes fewer than BatchSize rows (untilFewer) or none.
    private async Task<PurgeResult> InBatchesAsync(Func<int, Task<int>> batch, bool untilFewer, CancellationToken ct)
    {
        var max = _batches.BatchSize;
        var (deleted, batches) = (0, 0);
        while (true)
        {
            var count = await batch(max).ConfigureAwait(false);
            deleted += count;
            batches++;
            if (count == 0 || (untilFewer && count < max))
            {
                return new PurgeResult(deleted, batches);
            }
            if (_batches.BatchPause > TimeSpan.Zero)
            {
                await Task.Delay(_batches.BatchPause, time, ct).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Ceremonies.PurgeInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await PurgeOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the loop must survive a transient store failure
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogPurgeFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired ceremonies, ended sessions or old audit events failed; retrying at the next interval")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}

/// <summary>What one purge deleted, and in how many transactions.</summary>
public sealed record PurgeResult(int Deleted, int Batches);
