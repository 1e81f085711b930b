using System.Data.Common;

namespace Passkeys.Server.Storage;

// The transaction a ceremony step writes in (SqlPasskeyStore.Step): by default its own BEGIN on
// the step's connection, inside the database's write gate; SQLite overrides it with a turn on its
// one writer connection and group commit (Sqlite/SqliteWriter.cs).
public abstract partial class SqlPasskeyStore
{
    /// <summary>Where a step's writes go: the connection and transaction its statements use until it commits or rolls back.</summary>
    private protected abstract class StepTransaction
    {
        public abstract DbConnection Connection { get; }

        public abstract DbTransaction Transaction { get; }

        /// <summary>Makes the step's writes durable; returns once they are committed.</summary>
        public abstract Task CommitAsync(CancellationToken ct);

        /// <summary>Undoes the step's writes.</summary>
        public abstract Task RollbackAsync(CancellationToken ct);

        /// <summary>Ends the transaction of a step disposed without committing: its writes are undone, quietly.</summary>
        public abstract ValueTask AbandonAsync();
    }

    /// <summary>
    /// A step has opened; the result (if any) is handed to <see cref="BeginStepTransactionAsync"/>
    /// when the step first writes, and disposed when it ends. SQLite's group commit waits for
    /// opened steps that have not written yet (Sqlite/SqliteWriter.StepsInFlight.cs).
    /// </summary>
    private protected virtual IDisposable? StepOpened() => null;

    /// <summary>Opens the transaction of a step that is about to write; see <see cref="StepTransaction"/>.</summary>
    private protected virtual async ValueTask<StepTransaction> BeginStepTransactionAsync(DbConnection stepConnection, IDisposable? presence, CancellationToken ct)
    {
        presence?.Dispose();
        var gate = await EnterWriteAsync(ct).ConfigureAwait(false);
        try
        {
            return new OwnStepTransaction(stepConnection, await stepConnection.BeginTransactionAsync(ct).ConfigureAwait(false), gate);
        }
        catch
        {
            gate?.Dispose();
            throw;
        }
    }

    // A transaction of the step's own on its connection; the gate (none on PostgreSQL) is held until it ends.
    private sealed class OwnStepTransaction(DbConnection connection, DbTransaction transaction, IDisposable? gate) : StepTransaction
    {
        public override DbConnection Connection => connection;

        public override DbTransaction Transaction => transaction;

        public override async Task CommitAsync(CancellationToken ct)
        {
            try
            {
                await transaction.CommitAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                await EndAsync().ConfigureAwait(false);
            }
        }

        public override async Task RollbackAsync(CancellationToken ct)
        {
            try
            {
                await transaction.RollbackAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                await EndAsync().ConfigureAwait(false);
            }
        }

        // Disposing an uncommitted transaction rolls it back (and does not throw on a connection that broke).
        public override ValueTask AbandonAsync() => EndAsync();

        private async ValueTask EndAsync()
        {
            try
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                gate?.Dispose();
            }
        }
    }
}
