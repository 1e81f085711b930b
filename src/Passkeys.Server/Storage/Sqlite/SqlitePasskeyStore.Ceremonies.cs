using Microsoft.Data.Sqlite;

namespace Passkeys.Server.Storage.Sqlite;

public sealed partial class SqlitePasskeyStore
{
    private const string CeremonyColumns = "tenant_id, id, kind, state, user_id, data, created_at, expires_at";
    private const string RecoveryColumns = "tenant_id, user_id, id, salt, hash, created_at, used_at";

    /// <inheritdoc />
    public async Task SaveCeremonyAsync(CeremonyRecord ceremony, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ceremony);
        using var _ = Measure();
        await ExecuteAsync($"INSERT INTO ceremonies ({CeremonyColumns}) VALUES (@t, @id, @k, @s, @u, @d, @at, @exp)", cancellationToken,
            StoreParameters.Ceremony(ceremony)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CeremonyRecord?> ConsumeCeremonyAsync(string tenantId, string ceremonyId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        // The single atomic statement that makes a challenge single-use across nodes.
        return await QuerySingleAsync($"DELETE FROM ceremonies WHERE tenant_id = @t AND id = @id RETURNING {CeremonyColumns}",
            Rows.Ceremony, cancellationToken, ("@t", tenantId), ("@id", ceremonyId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CeremonyRecord>> PurgeExpiredCeremoniesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QueryAsync(
            "DELETE FROM ceremonies WHERE rowid IN (SELECT rowid FROM ceremonies WHERE expires_at < @now ORDER BY expires_at LIMIT @max) " +
            $"RETURNING {CeremonyColumns}",
            Rows.Ceremony, cancellationToken, ("@now", now), ("@max", max)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ReplaceRecoveryCodesAsync(string tenantId, string userId, IReadOnlyList<RecoveryCodeRecord> codes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codes);
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var delete = Command(connection, "DELETE FROM recovery_codes WHERE tenant_id = @t AND user_id = @u", ("@t", tenantId), ("@u", userId)))
        {
            delete.Transaction = tx;
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        foreach (var code in codes)
        {
            await using var insert = Command(connection, $"INSERT INTO recovery_codes ({RecoveryColumns}) VALUES (@t, @u, @id, @salt, @hash, @at, @used)",
                StoreParameters.RecoveryCode(tenantId, userId, code));
            insert.Transaction = tx;
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RecoveryCodeRecord>> ListUnusedRecoveryCodesAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QueryAsync($"SELECT {RecoveryColumns} FROM recovery_codes WHERE tenant_id = @t AND user_id = @u AND used_at IS NULL ORDER BY id",
            Rows.RecoveryCode, cancellationToken, ("@t", tenantId), ("@u", userId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> SpendRecoveryCodeAsync(string tenantId, string userId, string codeId, DateTimeOffset usedAt, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await ExecuteAsync("UPDATE recovery_codes SET used_at = @at WHERE tenant_id = @t AND user_id = @u AND id = @id AND used_at IS NULL",
            cancellationToken, ("@at", usedAt), ("@t", tenantId), ("@u", userId), ("@id", codeId)).ConfigureAwait(false) == 1;
    }
}
