using System.Data.Common;

namespace Passkeys.Server.Storage;

// Sessions and their refresh tokens (schema version 2). The foreign keys with ON DELETE CASCADE
// remove a session with its credential or user, and its tokens with it, so the delete paths in the
// other files need not know these tables.
public abstract partial class SqlPasskeyStore
{
    // The token's tenant is compared with IS NOT DISTINCT FROM, not "=" (the same rows: neither side
    // is ever NULL), so that PostgreSQL does not carry the tenant to the session as a constant and,
    // on a table never analyzed, walk the tenant's sessions instead of finding the session by its key
    // (SqlPasskeyStore.StepReads.cs says more). The token is found by its hash, its whole key.
    private static readonly string TokenJoin =
        $"SELECT t.spent_at, {SessionRows.AliasedColumns} FROM session_tokens t " +
        "JOIN sessions s ON s.tenant_id = t.tenant_id AND s.id = t.session_id WHERE t.hash = @h AND t.tenant_id IS NOT DISTINCT FROM @t";

    private const string InsertSessionSql = $"INSERT INTO sessions ({SessionRows.Columns}) VALUES ({SessionRows.Values})";
    private const string InsertSessionTokenSql = "INSERT INTO session_tokens (hash, tenant_id, session_id, created_at) VALUES (@h, @t, @s, @at)";
    private const string GetSessionSql = $"SELECT {SessionRows.Columns} FROM sessions WHERE tenant_id = @t AND id = @id";
    // A rotation: the presented (or the undelivered successor) token is spent, the session used.
    private const string SpendSessionTokenSql = "UPDATE session_tokens SET spent_at = @at WHERE hash = @h AND spent_at IS NULL";
    private const string RecordSessionRefreshSql = "UPDATE sessions SET last_used_at = @at, idle_expires_at = @idle WHERE tenant_id = @t AND id = @id";
    private const string FindSuccessorTokensSql =
        "SELECT t.hash, t.spent_at FROM session_tokens t WHERE t.tenant_id = @t AND t.session_id = @s AND t.hash <> @h " +
        "AND (t.spent_at IS NULL OR t.spent_at >= @spent)";

    // "AND revoked_at IS NULL" is re-checked after a concurrent update commits, so one caller wins.
    private protected const string RevokeSessionSql =
        "UPDATE sessions SET revoked_at = @at, revoked_reason = @r WHERE tenant_id = @t AND id = @id AND revoked_at IS NULL";

    /// <summary>
    /// Appended to a <c>SELECT</c> of rows the transaction is about to change, naming the aliases
    /// to lock. PostgreSQL: <c>FOR UPDATE OF …</c>, so a concurrent transaction waits and then
    /// re-reads the rows. SQLite (the default, nothing): a write transaction (BEGIN IMMEDIATE)
    /// already holds the whole database.
    /// </summary>
    private protected virtual string LockRows(string aliases) => "";

    /// <summary>Appended to a purge's <c>SELECT</c>: PostgreSQL skips rows another node has locked; SQLite needs nothing.</summary>
    private protected virtual string SkipLockedRows => "";

    private SessionRecord ReadSession(DbDataReader r) => SessionRows.Read(_columns, r);

    /// <inheritdoc />
    public async Task<bool> CreateSessionAsync(SessionRecord session, byte[] refreshTokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await CreateSessionAsync(connection, tx, session, refreshTokenHash, cancellationToken).ConfigureAwait(false))
        {
            return false; // the user or credential is gone; returning without commit rolls back
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The inserts of <see cref="CreateSessionAsync(SessionRecord, byte[], CancellationToken)"/> inside
    /// <paramref name="tx"/>; false when a foreign key refused them (the caller must then roll back).
    /// </summary>
    private protected async Task<bool> CreateSessionAsync(DbConnection connection, DbTransaction tx, SessionRecord session, byte[] refreshTokenHash,
        CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(connection, tx, InsertSessionSql, cancellationToken,
                SessionRows.Parameters(session)).ConfigureAwait(false);
            await ExecuteAsync(connection, tx, InsertSessionTokenSql, cancellationToken,
                ("@h", refreshTokenHash), ("@t", session.TenantId), ("@s", session.Id), ("@at", session.CreatedAt)).ConfigureAwait(false);
            return true;
        }
        catch (DbException e) when (ViolationOf(e) == ConstraintViolation.ForeignKey)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<RefreshResult> RotateRefreshTokenAsync(string tenantId, byte[] presentedHash, byte[] newHash, DateTimeOffset now, DateTimeOffset idleExpiresAt,
        TimeSpan reuseGrace = default, Func<SessionRecord, IReadOnlyList<AuditEventRecord>>? reuseEvents = null, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // One transaction that first locks the token and its session (SQLite: BEGIN IMMEDIATE, the
        // provider's default, takes the database write lock; PostgreSQL: FOR UPDATE). A racing
        // rotation of the same token, on any node, waits here and then finds it spent (reuse); a
        // racing revocation is seen either before or after, never half-way.
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        SessionRecord session;
        DateTimeOffset? spentAt;
        await using (var find = Command(connection, tx, TokenJoin + LockRows("t, s"), ("@h", presentedHash), ("@t", tenantId)))
        {
            await using var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return new RefreshResult(RefreshOutcome.Unknown, null);
            }
            spentAt = reader.IsDBNull(0) ? null : _columns.Time(reader, 0);
            session = SessionRows.Read(_columns, reader, 1);
        }
        if (session.RevokedAt is not null)
        {
            return new RefreshResult(RefreshOutcome.Revoked, session);
        }
        // The token the presented one was rotated into, when this presentation may be a retry of a
        // refresh whose response was lost; null when it is reuse.
        var undelivered = spentAt is { } at && reuseGrace > TimeSpan.Zero && at >= now - reuseGrace
            ? await FindUndeliveredSuccessorAsync(connection, tx, tenantId, session.Id, presentedHash, at, cancellationToken).ConfigureAwait(false)
            : null;
        if (spentAt is not null && undelivered is null)
        {
            await ExecuteAsync(connection, tx,
                "UPDATE sessions SET revoked_at = @at, revoked_reason = 'reuse-detected' WHERE tenant_id = @t AND id = @id AND revoked_at IS NULL",
                cancellationToken, ("@at", now), ("@t", tenantId), ("@id", session.Id)).ConfigureAwait(false);
            var revoked = session with { RevokedAt = now, RevokedReason = "reuse-detected" };
            // The revocation and its audit events commit together: no revoked session without its events.
            foreach (var auditEvent in reuseEvents?.Invoke(revoked) ?? [])
            {
                await WriteAuditEventAsync(connection, tx, auditEvent, cancellationToken).ConfigureAwait(false);
            }
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new RefreshResult(RefreshOutcome.Reused, revoked);
        }
        if (!session.IsActiveAt(now))
        {
            return new RefreshResult(RefreshOutcome.Expired, session);
        }
        var idle = idleExpiresAt < session.ExpiresAt ? idleExpiresAt : session.ExpiresAt;
        // A rotation spends the presented token now. A retry (undelivered is set) spends instead the
        // successor, which was never presented and so is void, at the same instant as the presented
        // token: neither is then the session's most recently spent token, so the presented token
        // gets one retry, and the successor, if it shows up after all, is reuse.
        await ExecuteAsync(connection, tx, SpendSessionTokenSql, cancellationToken,
            ("@at", undelivered is null ? now : spentAt!.Value), ("@h", undelivered ?? presentedHash)).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, InsertSessionTokenSql, cancellationToken,
            ("@h", newHash), ("@t", tenantId), ("@s", session.Id), ("@at", now)).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, RecordSessionRefreshSql, cancellationToken,
            ("@at", now), ("@idle", idle), ("@t", tenantId), ("@id", session.Id)).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RefreshResult(RefreshOutcome.Rotated, session with { LastUsedAt = now, IdleExpiresAt = idle });
    }

    /// <summary>
    /// The hash of the presented (spent) token's successor, when the presented token is the
    /// session's most recently spent one (no other token was spent at or after
    /// <paramref name="spentAt"/>) and its successor is the session's only unspent token — that is,
    /// no rotation happened since and the successor was never presented. Null otherwise. Locks the
    /// rows it reads (PostgreSQL: FOR UPDATE; the session row is already locked, so no rotation of
    /// this session can run alongside).
    /// </summary>
    /// <remarks>
    /// Treating such a presentation as a retry keeps theft detection: if an attacker used the
    /// grace window with a stolen token, the legitimate client's token is now spent, and its next
    /// refresh is reuse, which revokes the whole session, the attacker's token with it. The grace
    /// delays detection by at most one refresh.
    /// </remarks>
    private async Task<byte[]?> FindUndeliveredSuccessorAsync(DbConnection connection, DbTransaction tx, string tenantId, string sessionId, byte[] presentedHash,
        DateTimeOffset spentAt, CancellationToken cancellationToken)
    {
        var rows = new List<(byte[] Hash, bool Spent)>();
        await using var find = Command(connection, tx, FindSuccessorTokensSql + LockRows("t"),
            ("@t", tenantId), ("@s", sessionId), ("@h", presentedHash), ("@spent", spentAt));
        await using var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add((_columns.Bytes(reader, 0), !reader.IsDBNull(1)));
        }
        return rows is [{ Spent: false } only] ? only.Hash : null;
    }

    /// <inheritdoc />
    public async Task<SessionRecord?> FindSessionByRefreshTokenAsync(string tenantId, byte[] refreshTokenHash, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QuerySingleAsync(TokenJoin, r => SessionRows.Read(_columns, r, 1), cancellationToken,
            ("@h", refreshTokenHash), ("@t", tenantId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<SessionRecord?> GetSessionAsync(string tenantId, string sessionId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QuerySingleAsync(GetSessionSql, ReadSession, cancellationToken,
            ("@t", tenantId), ("@id", sessionId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SessionRecord>> ListActiveSessionsAsync(string tenantId, string userId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QueryAsync(
            $"SELECT {SessionRows.Columns} FROM sessions WHERE tenant_id = @t AND user_id = @u AND revoked_at IS NULL " +
            "AND idle_expires_at > @now AND expires_at > @now ORDER BY last_used_at DESC, id",
            ReadSession, cancellationToken, ("@t", tenantId), ("@u", userId), ("@now", now)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> RevokeSessionAsync(string tenantId, string sessionId, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await ExecuteAsync(RevokeSessionSql, cancellationToken, ("@at", revokedAt), ("@r", reason), ("@t", tenantId), ("@id", sessionId)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> TouchSessionAsync(string tenantId, string sessionId, DateTimeOffset usedAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        // The WHERE re-checks liveness in the same statement, so a session that ended between the
        // caller's read and this write stays ended. CASE caps the idle end at the absolute end.
        return await ExecuteAsync(
            "UPDATE sessions SET last_used_at = @at, idle_expires_at = CASE WHEN @idle < expires_at THEN @idle ELSE expires_at END " +
            "WHERE tenant_id = @t AND id = @id AND revoked_at IS NULL AND idle_expires_at > @at AND expires_at > @at",
            cancellationToken, ("@at", usedAt), ("@idle", idleExpiresAt), ("@t", tenantId), ("@id", sessionId)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<int> PurgeEndedSessionsAsync(DateTimeOffset endedBefore, int max, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        // The tokens go with their session (ON DELETE CASCADE).
        return await ExecuteAsync(PurgeEndedSessionsSql, cancellationToken, ("@before", endedBefore), ("@max", max)).ConfigureAwait(false);
    }

    /// <summary>
    /// Up to <c>@max</c> sessions that ended before <c>@before</c>, found through indexes only
    /// (ix_sessions_idle, the partial ix_sessions_revoked): with 10⁶ live sessions a purge pass that
    /// finds nothing due must not read the table while it holds the write lock. An absolute expiry
    /// needs no term of its own: idle_expires_at never exceeds expires_at (SessionService caps it).
    /// </summary>
    private string PurgeEndedSessionsSql => "DELETE FROM sessions WHERE (tenant_id, id) IN (SELECT tenant_id, id FROM sessions " +
        $"WHERE idle_expires_at < @before OR revoked_at < @before LIMIT @max{SkipLockedRows})";

    /// <summary>Every purge statement of the background purge, for the check that each is bounded by an index.</summary>
    internal IReadOnlyList<string> PurgeStatements => [PurgeExpiredCeremoniesSql, MarkAbandonedSql(2), PurgeExpiredAttemptsSql, PurgeEndedSessionsSql, PurgeAuditEventsSql];
}
