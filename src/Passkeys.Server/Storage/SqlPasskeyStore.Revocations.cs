namespace Passkeys.Server.Storage;

// The passkeys of one authenticator model, across tenants (ix_credentials_aaguid).
public abstract partial class SqlPasskeyStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<CredentialRecordRow>> ListActiveCredentialsOfModelAsync(Guid aaguid, int limit, CancellationToken cancellationToken = default)
    {
        // SQLite reads a negative LIMIT as "no limit", PostgreSQL refuses it: one rule for both.
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        using var _ = Measure();
        return await QueryAsync($"SELECT {CredentialReadColumns} FROM credentials WHERE aaguid = @a AND status = 'active' ORDER BY tenant_id, id LIMIT @limit",
            Rows.Credential, cancellationToken, ("@a", aaguid), ("@limit", limit)).ConfigureAwait(false);
    }
}
