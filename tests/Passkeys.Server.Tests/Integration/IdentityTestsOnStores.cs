using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>The identity suite on SQLite: each store a temporary data folder.</summary>
public sealed class SqliteIdentityTests() : IdentityTests(new SqliteTestStores());

/// <summary>The identity suite on PostgreSQL: each store a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresIdentityTests(PostgresCluster cluster) : IdentityTests(new PostgresTestStores(cluster));
