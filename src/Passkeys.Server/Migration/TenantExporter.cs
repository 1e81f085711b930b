using Passkeys.Server.Ceremonies;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Migration;

/// <summary>Writes a tenant as a <see cref="TenantExport"/>.</summary>
public sealed class TenantExporter(IPasskeyStore store, AuditLog audit, TimeProvider time)
{
    private const int Page = 500;

    /// <summary>
    /// The tenant's settings, users (in id order) and credentials. Read page by page, not in one
    /// snapshot: a user who registers during the export may or may not be in it (export a quiet tenant
    /// to move it; docs/export-format.md).
    /// </summary>
    /// <remarks>
    /// An export hands every account and passkey to <paramref name="actor"/>, so it is recorded
    /// (<c>tenant.exported</c>) before it is returned: when the event cannot be written the export
    /// fails (503) rather than leave the tenant without a trace of it.
    /// </remarks>
    public async Task<TenantExport> ExportAsync(TenantRecord tenant, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var users = new List<ExportedUser>();
        string? after = null;
        while (true)
        {
            var page = await store.ListUsersAsync(tenant.Id, after, Page, ct).ConfigureAwait(false);
            foreach (var user in page)
            {
                var credentials = await store.ListCredentialsAsync(tenant.Id, user.Id, ct).ConfigureAwait(false);
                users.Add(new ExportedUser(user.Id, Secrets.Base64Url(user.Handle), user.Name, user.DisplayName, user.CreatedAt,
                    user.DefaultCredentialId is { } d ? Secrets.Base64Url(d) : null, [.. credentials.Select(Of)]));
            }
            if (page.Count < Page)
            {
                break;
            }
            after = page[^1].Id;
        }
        await store.AppendAuditEventAsync(audit.Change(tenant.Id, AuditTypes.TenantExported, actor, AuditTarget.Tenant(tenant.Id), client: client,
            details: new Dictionary<string, string?>
            {
                ["users"] = users.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["credentials"] = users.Sum(u => u.Credentials.Count).ToString(System.Globalization.CultureInfo.InvariantCulture),
            }), ct).ConfigureAwait(false);
        return new TenantExport(TenantExport.FormatName, TenantExport.CurrentVersion, time.GetUtcNow(), Views.Of(tenant), users);
    }

    private static ExportedCredential Of(CredentialRecordRow c) => new(
        Secrets.Base64Url(c.Id), Secrets.Base64Url(c.PublicKey), c.Algorithm, c.SignCount, c.UvInitialized, c.BackupEligible, c.BackupState,
        c.Transports, c.Aaguid, c.AttestationFormat, c.AttestationTrusted, c.Name, c.CreatedAt, c.LastUsedAt,
        c.Status, c.SuspendedReason, c.SuspendedAt, c.CloneSuspectedAt, c.AttestationType);
}
