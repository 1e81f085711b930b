using Passkeys.Attestation.Metadata;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Metadata;

/// <summary>
/// Suspends, in every tenant, the passkeys of authenticator models that a verified BLOB reports
/// revoked or compromised (<see cref="CompromiseStatuses"/>), with reason <c>authenticator-revoked</c>,
/// each with its audit event (<c>credential.suspended</c>, actor system, <c>details.reason</c>) in the same commit.
/// Run after every successful metadata refresh (<see cref="MetadataRefreshService"/>).
/// </summary>
/// <remarks>
/// Bounded: at most <see cref="BatchSize"/> credentials per transaction, so a popular model never
/// holds a long lock (on SQLite, the database's write gate). Idempotent: only active credentials
/// are read and the suspension itself is conditional on the row still being active, so a second
/// refresh, or several nodes on one PostgreSQL sweeping at once, suspend and audit each passkey
/// exactly once (the row lock orders them; the loser's update matches nothing). Running at every
/// refresh also catches a passkey a node with an older BLOB let register in between. FIDO U2F
/// entries (no AAGUID) are refused at registration but not swept: their passkeys carry no AAGUID.
/// </remarks>
public sealed partial class RevokedAuthenticatorSweep(IPasskeyStore store, AuditLog audit, TimeProvider time, ILogger<RevokedAuthenticatorSweep> logger)
{
    /// <summary>Credentials suspended per transaction.</summary>
    public const int BatchSize = 100;

    /// <summary>Suspends the active passkeys of every model <paramref name="blob"/> reports compromised; returns how many this call suspended.</summary>
    public async Task<int> SweepAsync(MetadataBlob blob, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var total = 0;
        foreach (var entry in blob.Entries)
        {
            if (entry.Aaguid is not { } aaguid || aaguid == Guid.Empty || CompromiseStatuses.Of(entry) is not { } report)
            {
                continue;
            }
            var suspended = 0;
            while (true)
            {
                var batch = await store.ListActiveCredentialsOfModelAsync(aaguid, BatchSize, ct).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    break;
                }
                suspended += await SuspendAsync(batch, ct).ConfigureAwait(false);
                if (batch.Count < BatchSize)
                {
                    break;
                }
            }
            if (suspended > 0)
            {
                LogSuspended(logger, suspended, entry.Description ?? "", aaguid, report.Status, blob.Number);
            }
            total += suspended;
        }
        return total;
    }

    // One batch in one transaction: each suspension (and the end of its sessions) with its event.
    private async Task<int> SuspendAsync(IReadOnlyList<CredentialRecordRow> batch, CancellationToken ct)
    {
        var suspended = 0;
        var now = time.GetUtcNow();
        await using var step = await store.BeginStepAsync(ct).ConfigureAwait(false);
        foreach (var credential in batch)
        {
            // False when another node (or an operator) got there first: its reason and event stand.
            if (await step.SuspendCredentialAsync(credential.TenantId, credential.Id, SuspendedReason.AuthenticatorRevoked, now, ct).ConfigureAwait(false))
            {
                var id = Secrets.Base64Url(credential.Id);
                await step.AppendAuditEventAsync(audit.Change(credential.TenantId, AuditTypes.CredentialSuspended, AuditActor.System, AuditTarget.Credential(id),
                    credential.UserId, id, details: new Dictionary<string, string?> { ["reason"] = SuspendedReason.AuthenticatorRevoked }), ct).ConfigureAwait(false);
                suspended++;
            }
        }
        await step.CommitAsync(ct).ConfigureAwait(false);
        return suspended;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authenticator metadata: suspended {Count} passkeys of '{Description}' ({Aaguid}), reported {Status} in BLOB no {Number}")]
    private static partial void LogSuspended(ILogger logger, int count, string description, Guid aaguid, string status, long number);
}
