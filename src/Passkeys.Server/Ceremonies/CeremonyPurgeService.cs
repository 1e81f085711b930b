using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;
using Passkeys.Server.Observability;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Ceremonies;

/// <summary>
/// Deletes expired ceremonies periodically and records each as abandoned (audit and metrics); also
/// deletes sessions that ended (expired or revoked) more than a day ago, with their refresh tokens.
/// </summary>
public sealed partial class CeremonyPurgeService(IPasskeyStore store, AuditLog audit, PasskeysMetrics metrics, TimeProvider time,
    IOptions<PasskeysServerOptions> options, ILogger<CeremonyPurgeService> logger) : BackgroundService
{
    /// <summary>Purges once; returns how many ceremonies were removed.</summary>
    public async Task<int> PurgeOnceAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var purged = await store.PurgeExpiredCeremoniesAsync(time.GetUtcNow(), 500, ct).ConfigureAwait(false);
            foreach (var c in purged)
            {
                var name = Observability.Ceremonies.Of(c.Kind);
                metrics.Abandoned(name);
                await audit.RecordAsync(c.TenantId, name, "abandoned", c.Kind == CeremonyKind.RecoveryGrant ? null : c.Id, c.UserId, null, null, null, null,
                    TimeSpan.Zero, ct).ConfigureAwait(false);
            }
            total += purged.Count;
            if (purged.Count < 500)
            {
                break;
            }
        }
        // Kept a day after they end so that a late refresh is told "expired" or "revoked", not "invalid".
        while (await store.PurgeEndedSessionsAsync(time.GetUtcNow() - TimeSpan.FromDays(1), 500, ct).ConfigureAwait(false) == 500)
        {
        }
        // Attempt budgets whose window has ended (AttemptBudget).
        while (await store.PurgeExpiredAttemptsAsync(time.GetUtcNow(), 500, ct).ConfigureAwait(false) == 500)
        {
        }
        return total;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired ceremonies failed; retrying at the next interval")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
