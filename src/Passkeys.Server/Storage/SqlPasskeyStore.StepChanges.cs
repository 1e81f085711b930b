namespace Passkeys.Server.Storage;

// The writes of account and tenant changes in a step's transaction (IStoreStep), with the SQL the
// store's own methods use: the caller appends the change's audit event in the same step, so the
// change and its event commit together or not at all.
public abstract partial class SqlPasskeyStore
{
    private sealed partial class Step
    {
        public Task<TenantRecord?> GetTenantAsync(string tenantId, CancellationToken cancellationToken = default) =>
            SingleAsync($"SELECT {TenantColumns} FROM tenants WHERE id = @id", Store.Rows.Tenant, cancellationToken, ("@id", tenantId));

        public Task<bool> RenameCredentialAsync(string tenantId, string userId, byte[] credentialId, string? name, CancellationToken cancellationToken = default) =>
            InTransactionAsync("RenameCredential", async (c, tx) => await Store.ExecuteAsync(c, tx, Store.RenameCredentialSql, cancellationToken,
                ("@n", name), ("@id", credentialId), ("@t", tenantId), ("@u", userId)).ConfigureAwait(false) == 1, cancellationToken);

        public Task<bool> DeleteCredentialAsync(string tenantId, string userId, byte[] credentialId, CancellationToken cancellationToken = default) =>
            InTransactionAsync("DeleteCredential", async (c, tx) => await Store.ExecuteAsync(c, tx, DeleteCredentialSql, cancellationToken,
                ("@id", credentialId), ("@t", tenantId), ("@u", userId)).ConfigureAwait(false) == 1, cancellationToken);

        public Task<bool> SetDefaultCredentialAsync(string tenantId, string userId, byte[] credentialId, CancellationToken cancellationToken = default) =>
            InTransactionAsync("SetDefaultCredential", async (c, tx) => await Store.ExecuteAsync(c, tx, SetDefaultCredentialSql, cancellationToken,
                ("@id", credentialId), ("@t", tenantId), ("@u", userId)).ConfigureAwait(false) == 1, cancellationToken);

        public Task<bool> ChangeCredentialStatusAsync(string tenantId, string userId, byte[] credentialId, string status, string? reason, DateTimeOffset at,
            CancellationToken cancellationToken = default) =>
            InTransactionAsync("ChangeCredentialStatus", async (c, tx) =>
            {
                if (status == CredentialStatus.Active)
                {
                    // Only a suspended or flagged credential changes: reinstating an active one is no change (and no event).
                    return await Store.ExecuteAsync(c, tx, ReinstateCredentialSql + " AND (status <> 'active' OR clone_suspected_at IS NOT NULL)", cancellationToken,
                        ("@id", credentialId), ("@t", tenantId), ("@u", userId)).ConfigureAwait(false) == 1;
                }
                ArgumentNullException.ThrowIfNull(reason);
                if (await Store.ExecuteAsync(c, tx, SuspendCredentialSql + " AND user_id = @u", cancellationToken, ("@r", reason), ("@at", at),
                        ("@id", credentialId), ("@t", tenantId), ("@u", userId)).ConfigureAwait(false) != 1)
                {
                    return false;
                }
                await Store.ExecuteAsync(c, tx, RevokeSessionsOfCredentialSql, cancellationToken, ("@at", at), ("@t", tenantId), ("@id", credentialId))
                    .ConfigureAwait(false);
                return true;
            }, cancellationToken);

        public Task ReplaceRecoveryCodesAsync(string tenantId, string userId, IReadOnlyList<RecoveryCodeRecord> codes, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(codes);
            return InTransactionAsync("ReplaceRecoveryCodes", async (c, tx) =>
            {
                await Store.ReplaceRecoveryCodesAsync(c, tx, tenantId, userId, codes, cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken);
        }

        public Task<bool> SpendRecoveryCodeAsync(string tenantId, string userId, string codeId, DateTimeOffset usedAt, CancellationToken cancellationToken = default) =>
            InTransactionAsync("SpendRecoveryCode", async (c, tx) => await Store.ExecuteAsync(c, tx, SpendRecoveryCodeSql, cancellationToken,
                ("@at", usedAt), ("@t", tenantId), ("@u", userId), ("@id", codeId)).ConfigureAwait(false) == 1, cancellationToken);

        public Task<bool> RevokeSessionAsync(string tenantId, string sessionId, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken = default) =>
            InTransactionAsync("RevokeSession", async (c, tx) => await Store.ExecuteAsync(c, tx, RevokeSessionSql, cancellationToken,
                ("@at", revokedAt), ("@r", reason), ("@t", tenantId), ("@id", sessionId)).ConfigureAwait(false) == 1, cancellationToken);

        public Task<bool> DeleteUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default) =>
            InTransactionAsync("DeleteUser", (c, tx) => Store.DeleteUserAsync(c, tx, tenantId, userId, cancellationToken), cancellationToken);

        public Task<bool> CreateTenantAsync(TenantRecord tenant, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(tenant);
            return InTransactionAsync("CreateTenant", async (c, tx) =>
                Announce(await Store.ExecuteAsync(c, tx, Store.CreateTenantSql, cancellationToken, StoreParameters.Tenant(tenant)).ConfigureAwait(false) == 1,
                    StoreChangeKind.Tenant, tenant.Id), cancellationToken);
        }

        public Task<bool> UpdateTenantAsync(TenantRecord tenant, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(tenant);
            return InTransactionAsync("UpdateTenant", async (c, tx) =>
                Announce(await Store.ExecuteAsync(c, tx, Store.UpdateTenantSql, cancellationToken, UpdateTenantParameters(tenant)).ConfigureAwait(false) == 1,
                    StoreChangeKind.Tenant, tenant.Id), cancellationToken);
        }

        public Task<bool> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default) =>
            InTransactionAsync("DeleteTenant", async (c, tx) =>
                Announce(Announce(await Store.DeleteTenantAsync(c, tx, tenantId, cancellationToken).ConfigureAwait(false),
                    StoreChangeKind.Tenant, tenantId), StoreChangeKind.SigningKeys, tenantId), cancellationToken);

        public Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(key);
            return InTransactionAsync("CreateApiKey", (c, tx) => Store.ExecuteAsync(c, tx, CreateApiKeySql, cancellationToken, StoreParameters.ApiKey(key)),
                cancellationToken);
        }

        public Task<bool> RevokeApiKeyAsync(string tenantId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default) =>
            InTransactionAsync("RevokeApiKey", async (c, tx) => await Store.ExecuteAsync(c, tx, RevokeApiKeySql, cancellationToken,
                ("@at", revokedAt), ("@t", tenantId), ("@id", keyId)).ConfigureAwait(false) == 1, cancellationToken);

        public Task AddSigningKeyAsync(SigningKeyRecord key, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(key);
            return InTransactionAsync("AddSigningKey", async (c, tx) =>
            {
                await Store.AddSigningKeyAsync(c, tx, key, cancellationToken).ConfigureAwait(false);
                return Announce(true, StoreChangeKind.SigningKeys, key.TenantId);
            }, cancellationToken);
        }

        public Task<IReadOnlyList<CeremonyRecord>> PurgeExpiredCeremoniesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) =>
            InTransactionAsync<IReadOnlyList<CeremonyRecord>>("PurgeExpiredCeremonies", async (c, tx) =>
            {
                var purged = await Store.QueryAsync(c, tx, Store.PurgeExpiredCeremoniesSql, Store.Rows.Ceremony, cancellationToken, ("@now", now), ("@max", max))
                    .ConfigureAwait(false);
                // These expired unanswered (a finish consumes its ceremony, and one being consumed is
                // not taken): their funnel rows are abandoned, in this transaction, so a purge that
                // does not commit marks none and the next one finds the same ceremonies again. Only
                // the ceremony kinds that begin a funnel row; of those, operator ceremonies (the
                // console's tenant) have none, and their keys simply match no row.
                await Store.MarkAbandonedAsync(c, tx, [.. purged.Where(HasFunnelRow).Select(r => (r.TenantId, r.Id))], cancellationToken).ConfigureAwait(false);
                return purged;
            }, cancellationToken);

        private static bool HasFunnelRow(CeremonyRecord c) => c.Kind is CeremonyKind.Registration or CeremonyKind.Authentication or CeremonyKind.StepUp;

        /// <summary>Queues a cache notice for after the commit when <paramref name="changed"/>; returns it.</summary>
        private bool Announce(bool changed, StoreChangeKind kind, string tenantId)
        {
            if (changed)
            {
                _announcements.Add(new StoreChange(kind, tenantId));
            }
            return changed;
        }
    }
}
