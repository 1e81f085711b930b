namespace Passkeys.Server.Storage.Postgres;

public sealed partial class PostgresPasskeyStore
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
        // The single atomic statement that makes a challenge single-use across nodes: a second
        // DELETE of the same row waits for the first to commit, re-checks, finds nothing, returns nothing.
        return await QuerySingleAsync($"DELETE FROM ceremonies WHERE tenant_id = @t AND id = @id RETURNING {CeremonyColumns}",
            Rows.Ceremony, cancellationToken, ("@t", tenantId), ("@id", ceremonyId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CeremonyRecord>> PurgeExpiredCeremoniesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        // SKIP LOCKED: nodes purging at the same time take disjoint batches instead of queueing behind
        // each other, and a ceremony being consumed right now is left to its consumer.
        return await QueryAsync(
            "DELETE FROM ceremonies WHERE (tenant_id, id) IN " +
            "(SELECT tenant_id, id FROM ceremonies WHERE expires_at < @now ORDER BY expires_at LIMIT @max FOR UPDATE SKIP LOCKED) " +
            $"RETURNING {CeremonyColumns}",
            Rows.Ceremony, cancellationToken, ("@now", now), ("@max", max)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ReplaceRecoveryCodesAsync(string tenantId, string userId, IReadOnlyList<RecoveryCodeRecord> codes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codes);
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var delete = Command(connection, tx, "DELETE FROM recovery_codes WHERE tenant_id = @t AND user_id = @u", ("@t", tenantId), ("@u", userId)))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        foreach (var code in codes)
        {
            await using var insert = Command(connection, tx, $"INSERT INTO recovery_codes ({RecoveryColumns}) VALUES (@t, @u, @id, @salt, @hash, @at, @used)",
                StoreParameters.RecoveryCode(tenantId, userId, code));
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
        // "AND used_at IS NULL" is re-checked after a concurrent update commits, so one caller wins.
        return await ExecuteAsync("UPDATE recovery_codes SET used_at = @at WHERE tenant_id = @t AND user_id = @u AND id = @id AND used_at IS NULL",
            cancellationToken, ("@at", usedAt), ("@t", tenantId), ("@u", userId), ("@id", codeId)).ConfigureAwait(false) == 1;
    }
}
