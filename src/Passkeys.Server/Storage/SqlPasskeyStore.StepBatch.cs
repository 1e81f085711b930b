using System.Data.Common;

namespace Passkeys.Server.Storage;

/// <summary>One statement of a step sent in a batch: its SQL, its parameters, and whether it returns a result set.</summary>
internal readonly record struct StepStatement(string Sql, (string, object?)[] Parameters, bool ReturnsRows = false);

// Round trips of a step on a provider that sends several statements at once (DbConnection.CanCreateBatch:
// Npgsql; Microsoft.Data.Sqlite has no batches, and there every statement runs as it comes, as before).
// A write whose result nobody waits for (a ceremony saved, an audit event, a funnel row, a counter
// update) is queued instead of sent, and goes out in front of the step's next statement in the same
// round trip, or together with its COMMIT. Order is kept: every statement of the step, queued or
// not, reaches the database in the order the step was asked for it, in the same transaction, so
// what commits is the same as one statement at a time; a queued write that fails makes the
// statement it rides with (or the commit) fail, and the step rolls back whole.
public abstract partial class SqlPasskeyStore
{
    private sealed partial class Step
    {
        private readonly List<StepStatement> _queued = [];
        // The credential's user, read in the same round trip as the credential (a finish asks for it next).
        private UserRecord? _prefetchedUser;

        /// <summary>Whether this step's provider sends several statements in one round trip.</summary>
        private bool Batches => connection.CanCreateBatch;

        /// <summary>
        /// The step's transaction for a write whose result is not needed: queued when the provider
        /// batches (sent with the next statement or the commit), run at once otherwise.
        /// </summary>
        private async Task QueueAsync(StepStatement statement, CancellationToken ct)
        {
            var tx = await BeginWriteAsync(ct).ConfigureAwait(false);
            if (Batches)
            {
                _queued.Add(statement);
                return;
            }
            await store.ExecuteAsync(connection, tx, statement.Sql, ct, statement.Parameters).ConfigureAwait(false);
        }

        /// <summary>Sends the queued writes now (one round trip), before a statement that does not ride along with them.</summary>
        private async Task FlushAsync(CancellationToken ct)
        {
            if (_queued.Count == 0)
            {
                return;
            }
            await using var batch = TakeBatch([]);
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        /// <summary>Runs the queued writes and then <paramref name="sql"/> in one round trip; the rows of <paramref name="sql"/>.</summary>
        private async Task<List<T>> QueryAfterQueuedAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters)
        {
            if (_queued.Count == 0)
            {
                return await store.QueryAsync(connection, _tx, sql, map, ct, parameters).ConfigureAwait(false);
            }
            var skip = _queued.Count(s => s.ReturnsRows);
            await using var batch = TakeBatch([new StepStatement(sql, parameters, ReturnsRows: true)]);
            await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await ReadAsync(reader, skip, map, ct).ConfigureAwait(false);
        }

        /// <summary>Runs the queued writes and then <paramref name="statements"/> (which return no rows) in one round trip.</summary>
        private async Task ExecuteAfterQueuedAsync(IEnumerable<StepStatement> statements, CancellationToken ct)
        {
            await using var batch = TakeBatch(statements);
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        /// <summary>
        /// The credential and, in the same round trip, its user (kept for <see cref="GetUserAsync"/>
        /// until the step writes): a finish reads the one right after the other.
        /// </summary>
        private async Task<CredentialRecordRow?> GetCredentialAndUserAsync(string tenantId, byte[] credentialId, CancellationToken ct)
        {
            (string, object?)[] parameters = [("@id", credentialId), ("@t", tenantId)];
            var skip = _queued.Count(s => s.ReturnsRows);
            await using var batch = TakeBatch(
            [
                new StepStatement(GetCredentialSql, parameters, ReturnsRows: true),
                new StepStatement($"SELECT {UserColumns} FROM users WHERE tenant_id = @t AND id = (SELECT user_id FROM credentials WHERE id = @id AND tenant_id = @t)",
                    parameters, ReturnsRows: true),
            ]);
            await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var credentials = await ReadAsync(reader, skip, store.Rows.Credential, ct).ConfigureAwait(false);
            var users = await ReadAsync(reader, 1, store.Rows.User, ct).ConfigureAwait(false);
            _prefetchedUser = users.Count == 0 ? null : users[0];
            return credentials.Count == 0 ? null : credentials[0];
        }

        /// <summary>The prefetched user when it is the one asked for (then forgotten), else null.</summary>
        private UserRecord? TakePrefetchedUser(string tenantId, string userId)
        {
            var user = _prefetchedUser;
            _prefetchedUser = null;
            return user is not null && user.TenantId == tenantId && user.Id == userId ? user : null;
        }

        /// <summary>The rows of the result set after the first <paramref name="skip"/> ones.</summary>
        private static async Task<List<T>> ReadAsync<T>(DbDataReader reader, int skip, Func<DbDataReader, T> map, CancellationToken ct)
        {
            for (var i = 0; i < skip; i++)
            {
                await reader.NextResultAsync(ct).ConfigureAwait(false);
            }
            var list = new List<T>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(map(reader));
            }
            return list;
        }

        /// <summary>A batch of the queued writes (now no longer queued) followed by <paramref name="then"/>, in the step's transaction.</summary>
        private DbBatch TakeBatch(IEnumerable<StepStatement> then)
        {
            var batch = connection.CreateBatch();
            batch.Transaction = _tx;
            foreach (var statement in _queued.Concat(then))
            {
                var command = batch.CreateBatchCommand();
#pragma warning disable CA2100 // constant SQL text, values always parameters (as in SqlPasskeyStore.Command)
                command.CommandText = statement.Sql;
#pragma warning restore CA2100
                foreach (var (name, value) in statement.Parameters)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = store._columns.Parameter(value);
                    command.Parameters.Add(parameter);
                }
                batch.BatchCommands.Add(command);
            }
            _queued.Clear();
            return batch;
        }
    }
}
