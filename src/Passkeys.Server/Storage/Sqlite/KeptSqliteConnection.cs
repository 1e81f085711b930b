using System.Data;
using Microsoft.Data.Sqlite;

namespace Passkeys.Server.Storage.Sqlite;

/// <summary>
/// An open SQLite connection that the store keeps between operations (<see cref="SqliteKeptConnections"/>),
/// with its commands cached by SQL text so that each statement is prepared once per connection.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite prepares a command's SQL on its first execution and keeps the prepared
/// statement for the next one, but only as long as the command object lives and its connection
/// stays open; with a connection and commands created per operation, every statement was parsed
/// and planned again on every use (sqlite3_prepare, a good share of a sign-in's store time).
/// Disposing this connection hands it back to the store's idle set instead of closing it; it is
/// closed for good when that set is full, when the store is disposed, or when it comes back in a
/// state it must not be reused in (not open, a transaction still open). A connection with no idle
/// set (the writer connection, <see cref="SqliteWriter"/>) is closed when disposed.
/// </remarks>
internal sealed class KeptSqliteConnection(string connectionString, SqliteKeptConnections? home) : SqliteConnection(connectionString), IPreparedCommands
{
    // Every statement the store runs is constant text, so this stays small (the store has a few
    // hundred statements at most); the bound only guards against a future caller building SQL.
    private const int MaxCommands = 512;
    private readonly Dictionary<string, KeptSqliteCommand> _commands = new(StringComparer.Ordinal);
    private bool _closing;

    /// <inheritdoc />
    public System.Data.Common.DbCommand CommandFor(string sql)
    {
        if (_commands.TryGetValue(sql, out var kept))
        {
            if (!kept.InUse)
            {
                kept.InUse = true;
                return kept;
            }
        }
        else if (_commands.Count < MaxCommands)
        {
            kept = new KeptSqliteCommand(sql, this) { InUse = true };
            _commands.Add(sql, kept);
            return kept;
        }
        var command = CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>Hands the connection back to the store's idle set, or closes it for good (see the remarks).</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closing && State == ConnectionState.Open && Transaction is null && home?.TryReturn(this) == true)
        {
            return;
        }
        _closing = true;
        foreach (var command in _commands.Values)
        {
            command.DisposeForGood();
        }
        _commands.Clear();
        base.Dispose(disposing);
    }

    /// <summary>Closes the connection for good (its prepared statements with it), whatever the idle set says.</summary>
    public void CloseForGood()
    {
        _closing = true;
        Dispose();
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A command of a <see cref="KeptSqliteConnection"/>: disposing it hands it back with its prepared statement.</summary>
internal sealed class KeptSqliteCommand : SqliteCommand
{
    private bool _forGood;

    public KeptSqliteCommand(string sql, SqliteConnection connection)
        : base(sql, connection)
    {
    }

    /// <summary>Handed out and not yet disposed by its user.</summary>
    public bool InUse { get; set; }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_forGood)
        {
            // The next user binds its own values and enlists in its own transaction (or none).
            Parameters.Clear();
            Transaction = null;
            InUse = false;
            return;
        }
        base.Dispose(disposing);
    }

    /// <summary>Releases the prepared statement: its connection is closing.</summary>
    public void DisposeForGood()
    {
        _forGood = true;
        Dispose();
    }
}
