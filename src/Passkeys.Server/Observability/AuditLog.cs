using System.Text.Json;
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
    /// <summary>An operator's action through the admin API, or an operator enrolment link (see Console/OperatorAudit).</summary>
    public const string Admin = "admin";

    /// <summary>The tenant's passkey rollout: outcome default_flipped when adoption reached its default-sign-in threshold (docs/analytics.md).</summary>
    public const string Rollout = "rollout";

    /// <summary>Every ceremony name, as the audit query accepts them.</summary>
    public static IReadOnlyList<string> All { get; } = [Registration, Authentication, StepUp, Recovery, Session, Credential, Admin, Rollout];

    /// <summary>The name for a stored ceremony kind.</summary>
    public static string Of(CeremonyKind kind) => kind switch
    {
        CeremonyKind.Registration => Registration,
        CeremonyKind.Authentication => Authentication,
        CeremonyKind.StepUp => StepUp,
        CeremonyKind.OperatorInvitation or CeremonyKind.CancelledOperatorInvitation => Admin,
        _ => Recovery,
    };
}

/// <summary>Audit event outcomes.</summary>
public static class Outcomes
{
    /// <summary>Passkeys became the default sign-in (ceremony <see cref="Ceremonies.Rollout"/>).</summary>
    public const string DefaultFlipped = "default_flipped";

    /// <summary>Every outcome, as the audit query accepts them.</summary>
    public static IReadOnlyList<string> All { get; } = ["started", "succeeded", "failed", "abandoned", "suspended", "reinstated", "flagged", DefaultFlipped];
}

/// <summary>
/// Writes audit events (and the matching metrics). A ceremony step writes its event in its own
/// transaction (<see cref="Event"/>), and a change to an account or a tenant writes its event in the
/// change's transaction (<see cref="Change"/>, <c>Storage/AuditedChange.cs</c>), so a step or change
/// whose event cannot be written fails as a whole (503) and leaves nothing. Only events that
/// describe no change are written on their own (<see cref="RecordAsync"/>: a refused recovery code), and a failure there is logged, never turned into a failed request.
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
        // The actor of a ceremony is its user once known; the target is the passkey it used, else the user.
        var actor = userId is null ? AuditActor.Anonymous : AuditActor.User(userId);
        var target = credentialId is not null ? AuditTarget.Credential(credentialId) : userId is not null ? AuditTarget.User(userId) : null;
        return new AuditEventRecord(0, Text(tenantId)!, time.GetUtcNow(), Text(ceremony)!, Text(outcome)!, Text(ceremonyId), Text(userId),
            Text(credentialId), errorCode, Text(error), Text(client?.Address), Text(client?.UserAgent), Text(client?.Browser), Text(client?.Os),
            Math.Round(elapsed.TotalMilliseconds, 3), AuditTypes.OfCeremony(ceremony, outcome), actor.Kind, Text(actor.Id), target?.Kind, Text(target?.Id));
    }

    /// <summary>
    /// The event for a change to an account or a tenant (<paramref name="type"/> from
    /// <see cref="AuditTypes"/>), written by the caller in the same transaction as the change
    /// (<see cref="IStoreStep.AppendAuditEventAsync"/>), so a change is never without its event.
    /// </summary>
    /// <param name="userId">The user the change concerns, if any (what the audit query's userId filter finds).</param>
    /// <param name="credentialId">The passkey the change concerns, if any.</param>
    /// <param name="details">Small facts the type does not say (a new name, a reason); escaped and bounded like every text.</param>
    public AuditEventRecord Change(string tenantId, string type, AuditActor actor, AuditTarget target, string? userId = null, string? credentialId = null,
        ClientInfo? client = null, IReadOnlyDictionary<string, string?>? details = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(target);
        if (!AuditTypes.All.Contains(type, StringComparer.Ordinal))
        {
            // A programming error, not a request's: every published type is listed (and documented).
            throw new ArgumentException($"'{type}' is not an audit type listed in AuditTypes.", nameof(type));
        }
        var dot = type.IndexOf('.', StringComparison.Ordinal);
        var bounded = details?.ToDictionary(d => d.Key, d => Text(d.Value));
        return new AuditEventRecord(0, Text(tenantId)!, time.GetUtcNow(), type[..dot], type[(dot + 1)..], null, Text(userId), Text(credentialId),
            null, null, Text(client?.Address), Text(client?.UserAgent), Text(client?.Browser), Text(client?.Os), null,
            type, actor.Kind, Text(actor.Id), target.Kind, Text(target.Id),
            bounded is null ? null : JsonSerializer.Serialize<IReadOnlyDictionary<string, string?>>(bounded, StoreJson.Default.IReadOnlyDictionaryStringString));
    }

    private static string? Text(string? value) => SafeText.Escape(value, SafeText.MaxAuditLength);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write audit event {Tenant} {Ceremony} {Outcome}")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, string tenant, string ceremony, string outcome);
}
