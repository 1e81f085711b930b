using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Passkeys.Server.Storage.Sqlite;

// A ceremony step's side of the writer (SqliteWriter): its savepoint in the group's transaction,
// released on commit (then it waits for the group's commit) or rolled back on failure.
internal sealed partial class SqliteWriter
{
    /// <summary>A step's turn on the writer: its statements run on <see cref="Connection"/> in <see cref="Transaction"/>, inside its savepoint.</summary>
    internal sealed class GroupedStep(SqliteWriter writer)
    {
        private SqliteWriter? _writer = writer;

        public SqliteConnection Connection => _writer?._connection ?? throw new InvalidOperationException("The step's turn has ended.");

        public SqliteTransaction Transaction => _writer?._transaction ?? throw new InvalidOperationException("The step's turn has ended.");

        /// <summary>Releases the step's savepoint and returns once the group holding it has committed (or throws what the commit threw).</summary>
        public async Task CommitAsync()
        {
            var writer = Interlocked.Exchange(ref _writer, null) ?? throw new InvalidOperationException("The step's turn has ended.");
            var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                if (!writer.TransactionAlive)
                {
                    throw new SqliteException("The step's transaction was rolled back by SQLite after an error; nothing of it was written.", raw.SQLITE_ABORT);
                }
                writer.Execute("RELEASE step");
            }
            catch
            {
                writer._poisoned = true;
                writer.Leave(committed: null);
                throw;
            }
            writer.Leave(committed);
            await committed.Task.ConfigureAwait(false);
        }

        /// <summary>Undoes the step's writes (its savepoint only: the group's other steps stay) and ends its turn.</summary>
        public Task RollbackAsync()
        {
            var writer = Interlocked.Exchange(ref _writer, null);
            if (writer is null)
            {
                return Task.CompletedTask;
            }
            try
            {
                if (writer.TransactionAlive)
                {
                    writer.Execute("ROLLBACK TO step");
                    writer.Execute("RELEASE step");
                }
            }
            catch
            {
                writer._poisoned = true;
                throw;
            }
            finally
            {
                writer.Leave(committed: null);
            }
            return Task.CompletedTask;
        }
    }
}
