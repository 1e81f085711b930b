namespace Passkeys.Server.Storage;

/// <summary>One change to an account or a tenant and its audit event, committed together.</summary>
public static class AuditedChange
{
    /// <summary>
    /// Runs <paramref name="change"/> in one store step and, when it changed something (true),
    /// appends <paramref name="auditEvent"/> and commits both at once; when it changed nothing
    /// (false) nothing is written. A store failure anywhere leaves neither the change nor its event.
    /// </summary>
    public static async Task<bool> ChangeAsync(this IPasskeyStore store, Func<IStoreStep, Task<bool>> change, AuditEventRecord auditEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(auditEvent);
        await using var step = await store.BeginStepAsync(ct).ConfigureAwait(false);
        if (!await change(step).ConfigureAwait(false))
        {
            return false; // disposing the uncommitted step rolls back whatever it wrote
        }
        await step.AppendAuditEventAsync(auditEvent, ct).ConfigureAwait(false);
        await step.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }
}
