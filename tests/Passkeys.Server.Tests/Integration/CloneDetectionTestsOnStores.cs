using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>The clone-detection suite on SQLite: each store a temporary data folder.</summary>
public sealed class SqliteCloneDetectionTests() : CloneDetectionTests(new SqliteTestStores());

/// <summary>The clone-detection suite on PostgreSQL: each store a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCloneDetectionTests(PostgresCluster cluster) : CloneDetectionTests(new PostgresTestStores(cluster));
