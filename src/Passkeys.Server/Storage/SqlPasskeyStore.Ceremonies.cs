using System.Data.Common;

namespace Passkeys.Server.Storage;

// Pending ceremonies (challenges) and recovery codes: the single-use records.
public abstract partial class SqlPasskeyStore
{
    private protected const string CeremonyColumns = "tenant_id, id, kind, state, user_id, data, created_at, expires_at";
    private protected const string SaveCeremonySql = $"INSERT INTO ceremonies ({CeremonyColumns}) VALUES (@t, @id, @k, @s, @u, @d, @at, @exp)";
    private protected const string GetCeremonySql = $"SELECT {CeremonyColumns} FROM ceremonies WHERE tenant_id = @t AND id = @id";
    // The kind is part of the WHERE, so a ceremony of another kind is never deleted by mistake.
    private protected const string ConsumeCeremonySql = $"DELETE FROM ceremonies WHERE tenant_id = @t AND id = @id AND kind = @k RETURNING {CeremonyColumns}";
    private protected const string RecoveryColumns = "tenant_id, user_id, id, salt, hash, created_at, used_at";
    // "AND used_at IS NULL" is re-checked after a concurrent update commits, so one caller wins.
    private protected const string SpendRecoveryCodeSql =
        "UPDATE recovery_codes SET used_at = @at WHERE tenant_id = @t AND user_id = @u AND id = @id AND used_at IS NULL";

    /// <inheritdoc />
    public async Task SaveCeremonyAsync(CeremonyRecord ceremony, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ceremony);
        using var _ = Measure();
        await ExecuteAsync(SaveCeremonySql, cancellationToken,
            StoreParameters.Ceremony(ceremony)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CeremonyRecord?> ConsumeCeremonyAsync(string tenantId, string ceremonyId, CeremonyKind kind, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        // The single atomic statement that makes a challenge single-use across nodes. PostgreSQL: a
        // second DELETE of the same row waits for the first to commit, re-checks, finds nothing,
        // returns nothing. SQLite: writers take the database lock one at a time.
        var rows = await WriteQueryAsync(ConsumeCeremonySql, Rows.Ceremony, cancellationToken, ("@t", tenantId), ("@id", ceremonyId), ("@k", (int)kind)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CeremonyRecord>> ListLiveCeremoniesAsync(string tenantId, CeremonyKind kind, DateTimeOffset now, int max,
        CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QueryAsync($"SELECT {CeremonyColumns} FROM ceremonies WHERE tenant_id = @t AND kind = @k AND expires_at > @now ORDER BY created_at, id LIMIT @max",
            Rows.Ceremony, cancellationToken, ("@t", tenantId), ("@k", (int)kind), ("@now", now), ("@max", max)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CeremonyRecord>> PurgeExpiredCeremoniesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        // As a step: the ceremonies and their funnel rows (marked abandoned) in one transaction.
        await using var step = await BeginStepAsync(cancellationToken).ConfigureAwait(false);
        var purged = await step.PurgeExpiredCeremoniesAsync(now, max, cancellationToken).ConfigureAwait(false);
        await step.CommitAsync(cancellationToken).ConfigureAwait(false);
        return purged;
    }

    /// <inheritdoc />
    public async Task ReplaceRecoveryCodesAsync(string tenantId, string userId, IReadOnlyList<RecoveryCodeRecord> codes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codes);
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ReplaceRecoveryCodesAsync(connection, tx, tenantId, userId, codes, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The statements of <see cref="ReplaceRecoveryCodesAsync(string, string, IReadOnlyList{RecoveryCodeRecord}, CancellationToken)"/> inside <paramref name="tx"/>.</summary>
    private protected async Task ReplaceRecoveryCodesAsync(DbConnection connection, DbTransaction tx, string tenantId, string userId, IReadOnlyList<RecoveryCodeRecord> codes,
        CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, tx, "DELETE FROM recovery_codes WHERE tenant_id = @t AND user_id = @u", cancellationToken,
            ("@t", tenantId), ("@u", userId)).ConfigureAwait(false);
        foreach (var code in codes)
        {
            await ExecuteAsync(connection, tx, $"INSERT INTO recovery_codes ({RecoveryColumns}) VALUES (@t, @u, @id, @salt, @hash, @at, @used)",
                cancellationToken, StoreParameters.RecoveryCode(tenantId, userId, code)).ConfigureAwait(false);
        }
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
        return await ExecuteAsync(SpendRecoveryCodeSql, cancellationToken, ("@at", usedAt), ("@t", tenantId), ("@u", userId), ("@id", codeId)).ConfigureAwait(false) == 1;
    }
}
