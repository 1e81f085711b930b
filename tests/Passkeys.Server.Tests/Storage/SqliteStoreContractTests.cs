using System.Diagnostics.Metrics;
using Passkeys.Server.Storage;
using Passkeys.Server.Storage.Sqlite;

namespace Passkeys.Server.Tests.Storage;

/// <summary>Runs the store contract against SQLite in a temporary file.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "passkeys-store-" + Guid.NewGuid().ToString("N"));
    private readonly Meter _meter = new("Passkeys.Server.Tests.Store");

    protected override Task<IPasskeyStore> CreateStoreAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult<IPasskeyStore>(new SqlitePasskeyStore(Path.Combine(_directory, "passkeys.db"), new StoreMetrics(_meter)));
    }

    protected override Task DisposeStoreAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory left behind is harmless
        }
        return Task.CompletedTask;
    }

    public void Dispose() => _meter.Dispose();
}
