using Passkeys.Server.Storage;
using Passkeys.Server.Storage.Sqlite;

namespace Passkeys.Server.Tests.Storage;

/// <summary>Runs the store contract against SQLite in a temporary file.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly SqliteTestFolder _folder = new("store");

    protected override Task<IPasskeyStore> CreateStoreAsync() => Task.FromResult<IPasskeyStore>(_folder.NewStore());

    protected override Task DisposeStoreAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = await _folder.OpenOutsideAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Many_concurrent_writers_on_one_file_all_complete_and_each_ceremony_is_consumed_once()
    {
        // A second store on the same file, as two services in one process would have: its writers
        // must queue behind the first store's on the same write gate, not hit SQLITE_BUSY.
        var other = _folder.NewStore();
        IPasskeyStore[] stores = [Store, other];
        var consumedPerCeremony = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            var id = "w" + i;
            await stores[i % 2].SaveCeremonyAsync(Ceremony("t1", id, T0.AddMinutes(5)));
            await stores[i % 2].AppendAuditEventAsync(new AuditEventRecord(0, "t1", T0, "authentication", "started", id, null, null, null, null, null, null, null, null, null));
            // Each ceremony raced by one consumer per store: exactly one gets it.
            var consumed = await Task.WhenAll(stores.Select(s => s.ConsumeCeremonyAsync("t1", id, CeremonyKind.Authentication)));
            return consumed.Count(c => c is not null);
        })));
        Assert.All(consumedPerCeremony, n => Assert.Equal(1, n));
        Assert.Equal(64, (await Store.QueryAuditEventsAsync(new AuditQuery("t1", Limit: 100))).Count);
    }
}
