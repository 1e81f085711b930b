using System.Data.Common;
using System.Globalization;

namespace Passkeys.Server.Storage;

// Analytics (docs/analytics.md): ceremony funnel rows, app-reported sign-ins, passkey offers and
// the rollout's default flip. The same SQL on both databases.
public abstract partial class SqlPasskeyStore
{
    private protected const string OutcomeColumns =
        "tenant_id, ceremony_id, kind, mediation, begun_at, expires_at, user_id, new_user, after_offer, browser, os, device_type, " +
        "prompt_shown_at, client_outcome, client_reported_at, server_outcome, error_code, error, finished_at, aaguid, provider, synced";

    private protected const string InsertOutcomeSql =
        $"INSERT INTO ceremony_outcomes ({OutcomeColumns}) VALUES (@t, @id, @k, @m, @at, @exp, @u, @nu, @ao, @b, @os, @dt, " +
        "@ps, @co, @cr, @so, @ec, @e, @fin, @aaguid, @prov, @sync)";

    // The first answer stands; a late answer replaces only an abandonment (IStoreStep.RecordCeremonyFinishedAsync).
    private protected const string FinishOutcomeSql =
        "UPDATE ceremony_outcomes SET server_outcome = @so, error_code = @ec, error = @e, finished_at = @fin, user_id = COALESCE(@u, user_id), " +
        "aaguid = @aaguid, provider = @prov, synced = @sync " +
        "WHERE tenant_id = @t AND ceremony_id = @id AND (server_outcome IS NULL OR server_outcome = 'abandoned')";

    private protected const string GetOfferSql = "SELECT offered_at FROM passkey_offers WHERE tenant_id = @t AND user_id = @u";

    private protected static (string, object?)[] OutcomeParameters(CeremonyOutcomeRecord o) =>
    [
        ("@t", o.TenantId), ("@id", o.CeremonyId), ("@k", o.Kind), ("@m", o.Mediation), ("@at", o.BegunAt), ("@exp", o.ExpiresAt), ("@u", o.UserId),
        ("@nu", o.NewUser), ("@ao", o.AfterOffer), ("@b", o.Browser), ("@os", o.Os), ("@dt", o.DeviceType), ("@ps", o.PromptShownAt),
        ("@co", o.ClientOutcome), ("@cr", o.ClientReportedAt), ("@so", o.ServerOutcome), ("@ec", o.ErrorCode), ("@e", o.Error), ("@fin", o.FinishedAt),
        ("@aaguid", o.Aaguid?.ToString("D")), ("@prov", o.Provider), ("@sync", o.Synced),
    ];

    private protected static (string, object?)[] FinishParameters(string tenantId, string ceremonyId, CeremonyFinish f) =>
    [
        ("@so", f.ServerOutcome), ("@ec", f.ErrorCode), ("@e", f.Error), ("@fin", f.FinishedAt), ("@u", f.UserId), ("@aaguid", f.Aaguid?.ToString("D")),
        ("@prov", f.Provider), ("@sync", f.Synced), ("@t", tenantId), ("@id", ceremonyId),
    ];

    private CeremonyOutcomeRecord Outcome(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), _columns.Time(r, 4), _columns.Time(r, 5), Text(r, 6),
        _columns.Bool(r, 7), _columns.Bool(r, 8), Text(r, 9), Text(r, 10), Text(r, 11), Time(r, 12), Text(r, 13), Time(r, 14), Text(r, 15),
        r.IsDBNull(16) ? null : Convert.ToInt32(r.GetValue(16), CultureInfo.InvariantCulture), Text(r, 17), Time(r, 18),
        r.IsDBNull(19) ? null : Guid.Parse(r.GetString(19)), Text(r, 20), r.IsDBNull(21) ? null : _columns.Bool(r, 21));

    private DateTimeOffset? Time(DbDataReader r, int i) => r.IsDBNull(i) ? null : _columns.Time(r, i);
    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    /// <inheritdoc />
    public async Task<CeremonyOutcomeRecord?> GetCeremonyOutcomeAsync(string tenantId, string ceremonyId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QuerySingleAsync($"SELECT {OutcomeColumns} FROM ceremony_outcomes WHERE tenant_id = @t AND ceremony_id = @id", Outcome,
            cancellationToken, ("@t", tenantId), ("@id", ceremonyId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CeremonyOutcomeRecord>> ListCeremonyOutcomesAsync(string tenantId, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QueryAsync($"SELECT {OutcomeColumns} FROM ceremony_outcomes WHERE tenant_id = @t AND begun_at >= @from AND begun_at < @to " +
            "ORDER BY begun_at, ceremony_id", Outcome, cancellationToken, ("@t", tenantId), ("@from", from), ("@to", to)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> RecordPromptShownAsync(string tenantId, string ceremonyId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await ExecuteAsync("UPDATE ceremony_outcomes SET prompt_shown_at = @at WHERE tenant_id = @t AND ceremony_id = @id AND prompt_shown_at IS NULL",
            cancellationToken, ("@at", at), ("@t", tenantId), ("@id", ceremonyId)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> RecordClientOutcomeAsync(string tenantId, string ceremonyId, string outcome, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await ExecuteAsync("UPDATE ceremony_outcomes SET client_outcome = @co, client_reported_at = @at " +
            "WHERE tenant_id = @t AND ceremony_id = @id AND client_outcome IS NULL AND (server_outcome IS NULL OR server_outcome = 'abandoned')",
            cancellationToken, ("@co", outcome), ("@at", at), ("@t", tenantId), ("@id", ceremonyId)).ConfigureAwait(false) == 1;
    }

    // How many funnel rows one statement of MarkAbandonedAsync names (two parameters each).
    private const int AbandonedPerStatement = 100;

    /// <summary>
    /// Marks the funnel rows of <paramref name="rows"/> ceremonies abandoned, each by its primary key
    /// (<c>@t0, @id0</c>, …), unless they have a server outcome already.
    /// </summary>
    /// <remarks>
    /// Open rows used to be found by a partial index on <c>server_outcome IS NULL</c>; with it every
    /// finish moved its row out of that index (one more index page written per finish on SQLite, and
    /// on PostgreSQL no HOT update: new entries in every index of the table). The callers name the
    /// rows instead, because they know exactly which ceremonies ended unanswered: the purge of
    /// expired ceremonies and a finish that came after the expiry (docs/analytics.md).
    /// </remarks>
    internal static string MarkAbandonedSql(int rows) =>
        "UPDATE ceremony_outcomes SET server_outcome = 'abandoned' WHERE server_outcome IS NULL AND (tenant_id, ceremony_id) IN (VALUES " +
        string.Join(", ", Enumerable.Range(0, rows).Select(i => string.Create(CultureInfo.InvariantCulture, $"(@t{i}, @id{i})"))) + ")";

    /// <summary>
    /// Marks the funnel rows of <paramref name="ceremonies"/> abandoned inside <paramref name="tx"/>
    /// (see <see cref="MarkAbandonedSql"/>), at most <see cref="AbandonedPerStatement"/> per statement; returns how many rows changed.
    /// </summary>
    private protected async Task<int> MarkAbandonedAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<(string TenantId, string CeremonyId)> ceremonies,
        CancellationToken cancellationToken)
    {
        var marked = 0;
        foreach (var chunk in ceremonies.Chunk(AbandonedPerStatement))
        {
            var parameters = new (string, object?)[chunk.Length * 2];
            for (var i = 0; i < chunk.Length; i++)
            {
                parameters[2 * i] = (string.Create(CultureInfo.InvariantCulture, $"@t{i}"), chunk[i].TenantId);
                parameters[(2 * i) + 1] = (string.Create(CultureInfo.InvariantCulture, $"@id{i}"), chunk[i].CeremonyId);
            }
            marked += await ExecuteAsync(connection, tx, MarkAbandonedSql(chunk.Length), cancellationToken, parameters).ConfigureAwait(false);
        }
        return marked;
    }

    /// <inheritdoc />
    public async Task<int> PurgeAnalyticsAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        // The oldest first, by their own time index: each statement a bounded range, whatever the table's size.
        var outcomes = await ExecuteAsync("DELETE FROM ceremony_outcomes WHERE (tenant_id, ceremony_id) IN " +
            "(SELECT tenant_id, ceremony_id FROM ceremony_outcomes WHERE begun_at < @before ORDER BY begun_at LIMIT @max)",
            cancellationToken, ("@before", before), ("@max", max)).ConfigureAwait(false);
        var signIns = await ExecuteAsync("DELETE FROM app_sign_ins WHERE (tenant_id, id) IN " +
            "(SELECT tenant_id, id FROM app_sign_ins WHERE at < @before ORDER BY at LIMIT @max)",
            cancellationToken, ("@before", before), ("@max", max)).ConfigureAwait(false);
        return Math.Max(outcomes, signIns);
    }

    /// <inheritdoc />
    public async Task AppendAppSignInAsync(AppSignInRecord signIn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        using var _ = Measure();
        await ExecuteAsync("INSERT INTO app_sign_ins (tenant_id, id, user_id, method, at) VALUES (@t, @id, @u, @m, @at)", cancellationToken,
            ("@t", signIn.TenantId), ("@id", signIn.Id), ("@u", signIn.UserId), ("@m", signIn.Method), ("@at", signIn.At)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AppSignInRecord>> ListAppSignInsAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QueryAsync("SELECT tenant_id, id, user_id, method, at FROM app_sign_ins WHERE tenant_id = @t AND at >= @from AND at < @to ORDER BY at, id",
            r => new AppSignInRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), _columns.Time(r, 4)), cancellationToken,
            ("@t", tenantId), ("@from", from), ("@to", to)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> GetLastAppSignInAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        var rows = await QueryAsync("SELECT at FROM app_sign_ins WHERE tenant_id = @t AND user_id = @u ORDER BY at DESC LIMIT 1",
            r => _columns.Time(r, 0), cancellationToken, ("@t", tenantId), ("@u", userId)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    // Through the tenant's users, as ListRecentCredentialShapesSql says why.
    internal const string ListActivePasskeysSql =
        "SELECT c.user_id, c.created_at, c.backup_state FROM users u JOIN credentials c ON c.tenant_id = u.tenant_id AND c.user_id = u.id " +
        "WHERE u.tenant_id = @t AND c.status = 'active' ORDER BY c.user_id, c.created_at";

    /// <inheritdoc />
    public async Task<IReadOnlyList<PasskeyFact>> ListActivePasskeysAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        return await QueryAsync(ListActivePasskeysSql,
            r => new PasskeyFact(r.GetString(0), _columns.Time(r, 1), _columns.Bool(r, 2)), cancellationToken, ("@t", tenantId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> CountUsersAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(await ScalarAsync(connection, null, "SELECT COUNT(*) FROM users WHERE tenant_id = @t", cancellationToken, ("@t", tenantId))
            .ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task RecordPasskeyOfferAsync(string tenantId, string userId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        await ExecuteAsync("INSERT INTO passkey_offers (tenant_id, user_id, offered_at) VALUES (@t, @u, @at) " +
            "ON CONFLICT (tenant_id, user_id) DO UPDATE SET offered_at = excluded.offered_at", cancellationToken,
            ("@t", tenantId), ("@u", userId), ("@at", at)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> RecordDefaultFlipAsync(string tenantId, DateTimeOffset at, double adoption, AuditEventRecord auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        using var _ = Measure();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var gate = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Two nodes racing: PostgreSQL makes the second INSERT wait for the first transaction, then
        // insert nothing once it committed (or insert after all if it rolled back); SQLite has one
        // writer at a time. Either way exactly one caller sees 1 row and writes the one event.
        if (await ExecuteAsync(connection, tx, "INSERT INTO rollout_flips (tenant_id, flipped_at, adoption) VALUES (@t, @at, @a) ON CONFLICT (tenant_id) DO NOTHING",
                cancellationToken, ("@t", tenantId), ("@at", at), ("@a", adoption)).ConfigureAwait(false) != 1)
        {
            return false; // recorded before, by this node or another: nothing to write
        }
        await WriteAuditEventAsync(connection, tx, auditEvent, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> GetDefaultFlipAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        using var _ = Measure();
        var rows = await QueryAsync("SELECT flipped_at FROM rollout_flips WHERE tenant_id = @t", r => _columns.Time(r, 0), cancellationToken, ("@t", tenantId))
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }
}
