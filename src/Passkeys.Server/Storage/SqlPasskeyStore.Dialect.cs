using System.Data.Common;

namespace Passkeys.Server.Storage;

/// <summary>The kinds of constraint failure the store contract turns into results instead of errors.</summary>
internal enum ConstraintViolation
{
    /// <summary>Not a constraint failure the contract answers (the exception propagates).</summary>
    None = 0,
    /// <summary>A primary key or unique index refused a duplicate.</summary>
    Unique = 1,
    /// <summary>A foreign key refused a row whose parent does not exist.</summary>
    ForeignKey = 2,
}

/// <summary>The types a parameter can need spelled out in SQL text (see <see cref="SqlPasskeyStore.Typed"/>).</summary>
internal enum SqlType
{
    /// <summary>A string.</summary>
    Text = 0,
    /// <summary>A JSON array of strings (<see cref="StoreParameters"/> writes lists as JSON text).</summary>
    JsonList = 1,
    /// <summary>A point in time.</summary>
    Time = 2,
}

// What each database does differently. Everything else in SqlPasskeyStore is the same for all of them.
public abstract partial class SqlPasskeyStore
{
    /// <summary>Opens a connection from the provider's pool, ready for use (per-connection settings applied).</summary>
    private protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>
    /// Waits for this database's in-process write gate; dispose the result when the write has
    /// committed, rolled back or ended. Every write (a transaction, or one INSERT, UPDATE or DELETE)
    /// takes it after opening its connection and before its first statement; plain reads do not.
    /// The default is no gate (null): PostgreSQL locks rows, so writers to different rows run in
    /// parallel and writers to the same row queue inside the database. SQLite overrides it (a turn
    /// on its writer, taken after any open group of steps has committed: Sqlite/SqliteWriter.cs).
    /// </summary>
    private protected virtual ValueTask<IDisposable?> EnterWriteAsync(CancellationToken ct) => ValueTask.FromResult<IDisposable?>(null);

    /// <summary>Which constraint, if any, refused a statement.</summary>
    private protected abstract ConstraintViolation ViolationOf(DbException e);

    /// <summary>
    /// <paramref name="parameter"/> as the SQL text must spell it where its type matters to the
    /// database: a parameter that may be NULL where nothing else gives it a type, or a JSON list.
    /// The default is the bare parameter (SQLite is dynamically typed and needs nothing).
    /// </summary>
    private protected virtual string Typed(string parameter, SqlType type) => parameter;

    /// <summary>
    /// <c>DELETE</c> up to <c>@max</c> ceremonies with <c>expires_at &lt; @now</c>, oldest first,
    /// <c>RETURNING</c> <see cref="CeremonyColumns"/>. Per dialect: how a batch is chosen and
    /// locked differs.
    /// </summary>
    private protected abstract string PurgeExpiredCeremoniesSql { get; }
}
