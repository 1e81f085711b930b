using Passkeys.Server.Observability;
using Passkeys.Server.Storage;

namespace Passkeys.Server.OperatorConsole;

/// <summary>
/// The record of each unsafe request made through the admin API, by an operator or with the admin
/// key, beside the typed event of whatever it changed (which names the same actor): type
/// <c>admin.succeeded</c> | <c>admin.failed</c>; actor the operator (kind <c>operator</c>) or the
/// admin key (kind <c>admin</c>, no id: there is one key); <c>userId</c> and <c>credentialId</c> = the user and passkey acted on, when the route
/// names them; <c>error</c> = the action (<c>METHOD route</c>) on success, the error name and the
/// action on failure, with <c>errorCode</c>; in the tenant acted on (the console tenant for operator
/// management and for tenant creation that failed before a tenant existed). It keeps what a typed
/// event cannot: refused requests and operator management. docs/console.md, "Audit".
/// </summary>
public sealed partial class OperatorAudit(IPasskeyStore store, TimeProvider time, ILogger<OperatorAudit> logger)
{
    /// <summary>Records one admin action; a failure to write is logged, never turned into a failed request.</summary>
    public async Task RecordAsync(string tenantId, AdminPrincipal actor, string action, string? userId, string? credentialId, int? errorCode, string? error,
        ClientInfo client)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(client);
        var text = error is null ? action : $"{error}: {action}";
        var outcome = error is null ? "succeeded" : "failed";
        var who = actor.Kind == AdminPrincipalKind.Operator ? AuditActor.Operator(actor.OperatorId!) : AuditActor.Admin;
        var record = new AuditEventRecord(0, Escape(tenantId)!, time.GetUtcNow(), Observability.Ceremonies.Admin, outcome, null,
            Escape(userId), Escape(credentialId), errorCode, Escape(text), Escape(client.Address), Escape(client.UserAgent), Escape(client.Browser), Escape(client.Os), 0,
            AuditTypes.OfCeremony(Observability.Ceremonies.Admin, outcome), who.Kind, Escape(who.Id));
        try
        {
            using var write = RunToCompletion.Start();
            await store.AppendAuditEventAsync(record, write.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // auditing must not fail the request it describes
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, e, record.TenantId, record.Error ?? "");
        }
    }

    private static string? Escape(string? value) => SafeText.Escape(value, SafeText.MaxAuditLength);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write the audit event of operator action {Action} in tenant {Tenant}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string tenant, string action);
}
