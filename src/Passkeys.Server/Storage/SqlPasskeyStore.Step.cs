using System.Data.Common;

namespace Passkeys.Server.Storage;

// A ceremony step's or a change's unit of work (IStoreStep): the SQL is the store's own, shared by
// both dialects; only the connection and transaction are held for the step instead of opened per call.
// The writes of account and tenant changes are in SqlPasskeyStore.StepChanges.cs.
public abstract partial class SqlPasskeyStore
{
    /// <summary>Opens the step's connection; see <see cref="IStoreStep"/>.</summary>
    public async Task<IStoreStep> BeginStepAsync(CancellationToken cancellationToken = default)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return new Step(this, connection, StepOpened());
    }

    /// <summary>Runs one query on <paramref name="connection"/> inside <paramref name="tx"/> (or none) and maps every row.</summary>
    private protected async Task<List<T>> QueryAsync<T>(DbConnection connection, DbTransaction? tx, string sql, Func<DbDataReader, T> map, CancellationToken ct,
        params (string, object?)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<T>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(map(reader));
        }
        return list;
    }

    private sealed partial class Step(SqlPasskeyStore store, DbConnection reader, IDisposable? presence) : IStoreStep
    {
        // Open from the step's first write until it commits or rolls back.
        private StepTransaction? _write;
        // Tenant and signing-key changes written in the transaction: announced to the caches once it commits.
        private readonly List<StoreChange> _announcements = [];

        // Reads before the first write run on the step's own connection; once it writes, everything
        // runs where its transaction is (on SQLite, the writer connection), so it reads its own writes.
        private DbConnection Connection => _write?.Connection ?? reader;

        private DbTransaction? Tx => _write?.Transaction;

        /// <summary>Runs a change's statements in the step's transaction (begun on the first write).</summary>
        private async Task<T> InTransactionAsync<T>(string operation, Func<DbConnection, DbTransaction, Task<T>> change, CancellationToken ct)
        {
            using var _ = store.Measure("Step." + operation);
            var tx = await WriteAsync(ct).ConfigureAwait(false);
            return await change(Connection, tx).ConfigureAwait(false);
        }

        private SqlPasskeyStore Store => store;

        private async Task<T?> SingleAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters)
            where T : class
        {
            var rows = await store.QueryAsync(Connection, Tx, sql, map, ct, parameters).ConfigureAwait(false);
            return rows.Count == 0 ? null : rows[0];
        }

        /// <summary>The step's transaction, begun on first use (see <see cref="BeginStepTransactionAsync"/>).</summary>
        private async Task<DbTransaction> WriteAsync(CancellationToken ct)
        {
            _write ??= await store.BeginStepTransactionAsync(reader, presence, ct).ConfigureAwait(false);
            return _write.Transaction;
        }

        public async Task<CeremonyRecord?> GetCeremonyAsync(string tenantId, string ceremonyId, CancellationToken cancellationToken = default)
        {
            using var _ = store.Measure("Step.GetCeremony");
            return await SingleAsync(GetCeremonySql, store.Rows.Ceremony, cancellationToken,
                ("@t", tenantId), ("@id", ceremonyId)).ConfigureAwait(false);
        }

        public async Task<CredentialRecordRow?> GetCredentialAsync(string tenantId, byte[] credentialId, CancellationToken cancellationToken = default)
        {
            using var _ = store.Measure("Step.GetCredential");
            return await SingleAsync(GetCredentialSql, store.Rows.Credential, cancellationToken, ("@id", credentialId), ("@t", tenantId)).ConfigureAwait(false);
        }

        public async Task<IReadOnlyList<CredentialRecordRow>> ListCredentialsAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
        {
            using var _ = store.Measure("Step.ListCredentials");
            return await store.QueryAsync(Connection, Tx, ListCredentialsSql, store.Rows.Credential, cancellationToken, ("@t", tenantId), ("@u", userId))
                .ConfigureAwait(false);
        }

        public async Task<UserRecord?> GetUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
        {
            using var _ = store.Measure("Step.GetUser");
            return await SingleAsync(GetUserSql, store.Rows.User, cancellationToken, ("@t", tenantId), ("@id", userId)).ConfigureAwait(false);
        }

        public async Task<UserRecord?> GetUserByNameAsync(string tenantId, string name, CancellationToken cancellationToken = default)
        {
            using var _ = store.Measure("Step.GetUserByName");
            return await SingleAsync(GetUserByNameSql, store.Rows.User, cancellationToken, ("@t", tenantId), ("@k", Security.Usernames.UsernameRules.Key(name))).ConfigureAwait(false);
        }

        public async Task SaveCeremonyAsync(CeremonyRecord ceremony, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(ceremony);
            using var _ = store.Measure("Step.SaveCeremony");
            var tx = await WriteAsync(cancellationToken).ConfigureAwait(false);
            await store.ExecuteAsync(Connection, tx, SaveCeremonySql, cancellationToken, StoreParameters.Ceremony(ceremony)).ConfigureAwait(false);
        }

        public async Task<CeremonyRecord?> ConsumeCeremonyAsync(string tenantId, string ceremonyId, CeremonyKind kind, CancellationToken cancellationToken = default)
        {
            using var _ = store.Measure("Step.ConsumeCeremony");
            var tx = await WriteAsync(cancellationToken).ConfigureAwait(false);
            // As in IPasskeyStore.ConsumeCeremonyAsync: PostgreSQL makes a second DELETE of the row
            // wait for the first transaction and then find nothing; SQLite has one writer at a time.
            return await SingleAsync(ConsumeCeremonySql, store.Rows.Ceremony, cancellationToken, ("@t", tenantId), ("@id", ceremonyId), ("@k", (int)kind)).ConfigureAwait(false);
        }

        public async Task<AddCredentialResult> AddCredentialAsync(CredentialRecordRow credential, UserRecord? newUser, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(credential);
            using var _ = store.Measure("Step.AddCredential");
            var tx = await WriteAsync(cancellationToken).ConfigureAwait(false);
            return await store.AddCredentialAsync(Connection, tx, credential, newUser, cancellationToken).ConfigureAwait(false);
        }

        public async Task<bool> RecordCredentialUseAsync(string tenantId, byte[] credentialId, long signCount, bool backupState, bool uvInitialized, DateTimeOffset usedAt,
            CancellationToken cancellationToken = default)
        {
            using var _ = store.Measure("Step.RecordCredentialUse");
            var tx = await WriteAsync(cancellationToken).ConfigureAwait(false);
            return await store.ExecuteAsync(Connection, tx, RecordCredentialUseSql, cancellationToken, ("@sc", signCount), ("@bs", backupState),
                ("@uv", uvInitialized), ("@at", usedAt), ("@id", credentialId), ("@t", tenantId)).ConfigureAwait(false) == 1;
        }

        public async Task<bool> SuspendCredentialAsync(string tenantId, byte[] credentialId, string reason, DateTimeOffset at, CancellationToken cancellationToken = default)
        {
            using var _ = store.Measure("Step.SuspendCredential");
            var tx = await WriteAsync(cancellationToken).ConfigureAwait(false);
            if (await store.ExecuteAsync(Connection, tx, SuspendCredentialSql, cancellationToken, ("@r", reason), ("@at", at), ("@id", credentialId),
                    ("@t", tenantId)).ConfigureAwait(false) != 1)
            {
                return false;
            }
            await store.ExecuteAsync(Connection, tx, RevokeSessionsOfCredentialSql, cancellationToken, ("@at", at), ("@t", tenantId), ("@id", credentialId))
                .ConfigureAwait(false);
            return true;
        }

        public async Task<bool> FlagCloneSuspectedAsync(string tenantId, byte[] credentialId, DateTimeOffset at, CancellationToken cancellationToken = default)
        {
            using var _ = store.Measure("Step.FlagCloneSuspected");
            var tx = await WriteAsync(cancellationToken).ConfigureAwait(false);
            return await store.ExecuteAsync(Connection, tx, FlagCloneSuspectedSql, cancellationToken, ("@at", at), ("@id", credentialId),
                ("@t", tenantId)).ConfigureAwait(false) == 1;
        }

        public async Task<bool> CreateSessionAsync(SessionRecord session, byte[] refreshTokenHash, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(session);
            using var _ = store.Measure("Step.CreateSession");
            var tx = await WriteAsync(cancellationToken).ConfigureAwait(false);
            return await store.CreateSessionAsync(Connection, tx, session, refreshTokenHash, cancellationToken).ConfigureAwait(false);
        }

        public async Task AppendAuditEventAsync(AuditEventRecord auditEvent, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(auditEvent);
            using var _ = store.Measure("Step.AppendAuditEvent");
            var tx = await WriteAsync(cancellationToken).ConfigureAwait(false);
            await store.WriteAuditEventAsync(Connection, tx, auditEvent, cancellationToken).ConfigureAwait(false);
        }

        public async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            if (_write is not { } write)
            {
                return;
            }
            using var _ = store.Measure("Step.Commit");
            _write = null;
            await write.CommitAsync(cancellationToken).ConfigureAwait(false);
            // After the commit, so a node that reloads on the notice reads the new rows.
            var committed = _announcements.ToArray();
            _announcements.Clear();
            foreach (var change in committed)
            {
                await store.AnnounceAsync(change, cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task RollbackAsync(CancellationToken cancellationToken = default)
        {
            if (_write is not { } write)
            {
                return;
            }
            _announcements.Clear();
            _write = null;
            await write.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (_write is { } write)
                {
                    _write = null;
                    await write.AbandonAsync().ConfigureAwait(false); // an uncommitted step's writes are undone
                }
            }
            finally
            {
                presence?.Dispose();
                await reader.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
