using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Tenants;

/// <summary>The tenant algorithm suite on SQLite: each store a temporary data folder.</summary>
public sealed class SqliteTenantAlgorithmTests() : TenantAlgorithmTests(new SqliteTestStores());

/// <summary>The tenant algorithm suite on PostgreSQL: each store a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTenantAlgorithmTests(PostgresCluster cluster) : TenantAlgorithmTests(new PostgresTestStores(cluster));
