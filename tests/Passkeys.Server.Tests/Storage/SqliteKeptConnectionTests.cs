using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Passkeys.Server.Storage;
using Passkeys.Server.Storage.Sqlite;
using SQLitePCL;

namespace Passkeys.Server.Tests.Storage;

/// <summary>
/// The SQLite store keeps its connections open between operations and each statement prepared once
/// per connection (<see cref="KeptSqliteConnection"/>): checked on SQLite's own list of a
/// connection's prepared statements, and on what may and may not be reused.
/// </summary>
public sealed class SqliteKeptConnectionTests : IDisposable
{
    private readonly SqliteTestFolder _folder = new("kept");
    private readonly SqliteKeptConnections _home = new();

    private string File => _folder.File;

    public void Dispose()
    {
        _home.Dispose();
        _folder.Dispose();
    }

    private async Task<KeptSqliteConnection> OpenAsync()
    {
        var connection = new KeptSqliteConnection($"Data Source={File}", _home);
        await connection.OpenAsync();
        return connection;
    }

    // The memory SQLite holds for the statements prepared (and not yet finalized) on a connection.
    private static int StatementMemory(SqliteConnection connection)
    {
        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_db_status(connection.Handle, raw.SQLITE_DBSTATUS_STMT_USED, out var current, out _, 0));
        return current;
    }

    [Fact]
    public async Task A_statement_is_prepared_once_and_stays_prepared_between_uses()
    {
        var connection = await OpenAsync();
        var none = StatementMemory(connection);
        // A plain command's statement is finalized when it is disposed: nothing stays prepared.
        await using (var plain = connection.CreateCommand())
        {
            plain.CommandText = "SELECT 1";
            await plain.ExecuteScalarAsync();
        }
        Assert.Equal(none, StatementMemory(connection));
        var afterFirst = 0;
        for (var i = 0; i < 3; i++)
        {
            await using (var command = ((IPreparedCommands)connection).CommandFor("SELECT @v"))
            {
                command.Parameters.Add(new SqliteParameter("@v", i));
                Assert.Equal((long)i, await command.ExecuteScalarAsync());
            }
            afterFirst = i == 0 ? StatementMemory(connection) : afterFirst;
            // Kept after its dispose, and prepared once: no second copy of it on later uses.
            Assert.True(afterFirst > none);
            Assert.Equal(afterFirst, StatementMemory(connection));
        }
        var first = ((IPreparedCommands)connection).CommandFor("SELECT @v");
        Assert.Empty(first.Parameters); // the last user's values are gone
        Assert.Null(first.Transaction);
        // The same SQL while the kept command is out: another command, not the one in use.
        await using var second = ((IPreparedCommands)connection).CommandFor("SELECT @v");
        Assert.NotSame(first, second);
        await first.DisposeAsync();
        connection.CloseForGood();
    }

    [Fact]
    public async Task Disposing_hands_the_connection_back_open_and_the_next_open_gets_it()
    {
        var connection = await OpenAsync();
        await connection.DisposeAsync();
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        Assert.Same(connection, _home.TryRent());
        Assert.Null(_home.TryRent());
        connection.CloseForGood();
    }

    [Fact]
    public async Task A_connection_given_back_inside_a_transaction_is_closed_not_kept()
    {
        var connection = await OpenAsync();
        _ = await connection.BeginTransactionAsync();
        await connection.DisposeAsync();
        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
        Assert.Equal(0, _home.IdleCount);
    }

    [Fact]
    public async Task Past_the_bound_connections_given_back_are_closed()
    {
        var connections = new List<KeptSqliteConnection>();
        for (var i = 0; i < SqliteKeptConnections.MaxIdle + 2; i++)
        {
            connections.Add(await OpenAsync());
        }
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
        Assert.Equal(SqliteKeptConnections.MaxIdle, _home.IdleCount);
        Assert.Equal(2, connections.Count(c => c.State == System.Data.ConnectionState.Closed));
        _home.Dispose();
        Assert.All(connections, c => Assert.Equal(System.Data.ConnectionState.Closed, c.State));
        await using var late = await OpenAsync();
        await late.DisposeAsync();
        Assert.Equal(System.Data.ConnectionState.Closed, late.State); // disposed home: nothing is kept any more
    }

    [Fact]
    public async Task The_store_reuses_one_connection_for_operations_one_after_another_and_closes_it_when_disposed()
    {
        var store = _folder.NewStore();
        await store.MigrateAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await store.PingAsync());
            await using var step = await store.BeginStepAsync();
            Assert.Null(await step.GetCeremonyAsync("default", "no-such-ceremony"));
        }
        Assert.Equal(1, store.KeptConnections.IdleCount);
        store.Dispose();
        Assert.Equal(0, store.KeptConnections.IdleCount);
    }
}
