using System.Diagnostics.Metrics;
using Passkeys.Server.Storage;
using Passkeys.Server.Storage.Postgres;

namespace Passkeys.Server.Tests.Storage;

/// <summary>Runs the store contract against PostgreSQL, each test in a database of its own.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreContractTests(PostgresCluster cluster) : StoreContractTests, IDisposable
{
    private readonly Meter _meter = new("Passkeys.Server.Tests.PostgresStore");
    private PostgresPasskeyStore? _store;
    private string? _database;

    protected override async Task<IPasskeyStore> CreateStoreAsync()
    {
        _database = await cluster.CreateDatabaseAsync();
        _store = new PostgresPasskeyStore(_database, new StoreMetrics(_meter));
        return _store;
    }

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task DisposeStoreAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    public void Dispose() => _meter.Dispose();
}
