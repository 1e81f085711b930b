using Passkeys.Server.Storage;

namespace Passkeys.Server.Observability;

/// <summary>Ceremony names used in audit events and metrics.</summary>
public static class Ceremonies
{
    /// <summary>Registration.</summary>
    public const string Registration = "registration";
    /// <summary>Authentication.</summary>
    public const string Authentication = "authentication";
    /// <summary>Step-up.</summary>
    public const string StepUp = "step-up";
    /// <summary>Recovery code redemption.</summary>
    public const string Recovery = "recovery";
    /// <summary>Sessions (refresh-token reuse is audited as a failed session event).</summary>
    public const string Session = "session";
    /// <summary>A credential's status changed: outcome suspended, reinstated or flagged (clone suspected, let through).</summary>
    public const string Credential = "credential";
    /// <summary>The tenant's passkey rollout: outcome default-flipped when adoption reached its default-sign-in threshold (docs/analytics.md).</summary>
    public const string Rollout = "rollout";

    /// <summary>Every ceremony name, as the audit query accepts them.</summary>
    public static IReadOnlyList<string> All { get; } = [Registration, Authentication, StepUp, Recovery, Session, Credential, Rollout];

    /// <summary>The name for a stored ceremony kind.</summary>
    public static string Of(CeremonyKind kind) => kind switch
    {
        CeremonyKind.Registration => Registration,
        CeremonyKind.Authentication => Authentication,
        CeremonyKind.StepUp => StepUp,
        _ => Recovery,
    };
}

/// <summary>Audit event outcomes.</summary>
public static class Outcomes
{
    /// <summary>Passkeys became the default sign-in (ceremony <see cref="Ceremonies.Rollout"/>).</summary>
    public const string DefaultFlipped = "default-flipped";

    /// <summary>Every outcome, as the audit query accepts them.</summary>
    public static IReadOnlyList<string> All { get; } = ["started", "succeeded", "failed", "abandoned", "suspended", "reinstated", "flagged", DefaultFlipped];
}

/// <summary>
/// Writes audit events (and the matching metrics). A ceremony step writes its event in its own
/// transaction (<see cref="Event"/>), so a step whose event cannot be written fails as a whole (503)
/// and loses nothing; events outside a step (<see cref="RecordAsync"/>: purges, recovery, sessions)
/// are written on their own, and a failure there is logged, never turned into a failed request.
/// </summary>
public sealed partial class AuditLog(IPasskeyStore store, PasskeysMetrics metrics, TimeProvider time, ILogger<AuditLog> logger)
{
    /// <summary>Records a ceremony step.</summary>
    /// <param name="ct">
    /// Deliberately not used for the write: an event describes something that already happened, so
    /// a client dropping its request (or the host stopping) must not lose it. The write runs on its
    /// own bounded timeout (<see cref="RunToCompletion"/>).
    /// </param>
    public async Task RecordAsync(string tenantId, string ceremony, string outcome, string? ceremonyId, string? userId, string? credentialId,
        int? errorCode, string? error, ClientInfo? client, TimeSpan elapsed, CancellationToken ct = default)
    {
        var auditEvent = Event(tenantId, ceremony, outcome, ceremonyId, userId, credentialId, errorCode, error, client, elapsed);
        try
        {
            using var write = RunToCompletion.Start();
            await store.AppendAuditEventAsync(auditEvent, write.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // auditing must not fail the request it describes
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogAuditFailed(logger, e, Text(tenantId)!, ceremony, outcome);
        }
    }

    /// <summary>
    /// The event for a ceremony step, with its metrics recorded; the step writes it in its own
    /// transaction (<see cref="IStoreStep.AppendAuditEventAsync"/>), so the step's outcome and its
    /// event are committed together or not at all.
    /// </summary>
    /// <remarks>
    /// Every text column may come from the request (a ceremony id, a user agent): escaped and
    /// bounded here, so no value can make the insert fail (NUL on PostgreSQL) or flood the table.
    /// </remarks>
    public AuditEventRecord Event(string tenantId, string ceremony, string outcome, string? ceremonyId, string? userId, string? credentialId,
        int? errorCode, string? error, ClientInfo? client, TimeSpan elapsed)
    {
        metrics.Ceremony(ceremony, outcome == "started" ? "begin" : "finish", outcome, error, elapsed);
        return new AuditEventRecord(0, Text(tenantId)!, time.GetUtcNow(), Text(ceremony)!, Text(outcome)!, Text(ceremonyId), Text(userId),
            Text(credentialId), errorCode, Text(error), Text(client?.Address), Text(client?.UserAgent), Text(client?.Browser), Text(client?.Os),
            Math.Round(elapsed.TotalMilliseconds, 3));
    }

    private static string? Text(string? value) => SafeText.Escape(value, SafeText.MaxAuditLength);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write audit event {Tenant} {Ceremony} {Outcome}")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, string tenant, string ceremony, string outcome);
}
