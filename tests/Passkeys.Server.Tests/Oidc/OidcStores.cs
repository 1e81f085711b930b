using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Oidc;

/// <summary>Where an OIDC test's server keeps its data: the arguments that choose the store.</summary>
public interface IOidcStore
{
    /// <summary>Arguments for a server on a fresh store.</summary>
    Task<string[]> NewStoreArgsAsync();
}

/// <summary>SQLite: the test server's own temporary data folder.</summary>
public sealed class SqliteOidcStore : IOidcStore
{
    public Task<string[]> NewStoreArgsAsync() => Task.FromResult<string[]>([]);
}

/// <summary>PostgreSQL: a new database in the run's cluster.</summary>
public sealed class PostgresOidcStore(PostgresCluster cluster) : IOidcStore
{
    public async Task<string[]> NewStoreArgsAsync() =>
        ["--Passkeys:Store=postgres", "--Passkeys:ConnectionString=" + await cluster.CreateDatabaseAsync(), SigningKeyAtRestTests.Kek];
}
