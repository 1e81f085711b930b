using System.Data.Common;
using Passkeys.Server.Oidc;

namespace Passkeys.Server.Storage;

// The W3C Passkey Endpoints of each tenant (Oidc/PasskeyEndpointsRecord.cs).
public abstract partial class SqlPasskeyStore : IPasskeyEndpointsStore
{
    /// <inheritdoc />
    public async Task<PasskeyEndpointsRecord?> GetPasskeyEndpointsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QuerySingleAsync("SELECT tenant_id, enroll, manage, prf_usage_details, updated_at FROM passkey_endpoints WHERE tenant_id = @t",
            r => new PasskeyEndpointsRecord(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3), _columns.Time(r, 4)),
            cancellationToken, ("@t", tenantId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> SetPasskeyEndpointsAsync(PasskeyEndpointsRecord endpoints, AuditEventRecord auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(auditEvent);
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, tx,
                $"INSERT INTO passkey_endpoints (tenant_id, enroll, manage, prf_usage_details, updated_at) " +
                $"VALUES (@t, {Typed("@e", SqlType.Text)}, {Typed("@m", SqlType.Text)}, {Typed("@p", SqlType.Text)}, @at) " +
                "ON CONFLICT (tenant_id) DO UPDATE SET enroll = excluded.enroll, manage = excluded.manage, " +
                "prf_usage_details = excluded.prf_usage_details, updated_at = excluded.updated_at", cancellationToken,
                ("@t", endpoints.TenantId), ("@e", endpoints.Enroll), ("@m", endpoints.Manage), ("@p", endpoints.PrfUsageDetails), ("@at", endpoints.UpdatedAt))
                .ConfigureAwait(false);
        }
        catch (DbException e) when (ViolationOf(e) == ConstraintViolation.ForeignKey)
        {
            return false; // the tenant is gone; disposing the transaction rolls it back
        }
        await WriteAuditEventAsync(connection, tx, auditEvent, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }
}
