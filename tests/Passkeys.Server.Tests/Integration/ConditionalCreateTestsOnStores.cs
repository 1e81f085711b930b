using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>The conditional-create suite on SQLite: each store a temporary data folder.</summary>
public sealed class SqliteConditionalCreateTests() : ConditionalCreateTests(new SqliteTestStores());

/// <summary>The conditional-create suite on PostgreSQL: each store a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresConditionalCreateTests(PostgresCluster cluster) : ConditionalCreateTests(new PostgresTestStores(cluster));
