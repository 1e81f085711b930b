using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Analytics;

/// <summary>The analytics suite on SQLite: each store a temporary data folder.</summary>
public sealed class SqliteAnalyticsTests() : AnalyticsTests(new SqliteTestStores());

/// <summary>The analytics suite on PostgreSQL: each store a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAnalyticsTests(PostgresCluster cluster) : AnalyticsTests(new PostgresTestStores(cluster));

/// <summary>The client-event suite on SQLite: each store a temporary data folder.</summary>
public sealed class SqliteClientEventTests() : ClientEventTests(new SqliteTestStores());

/// <summary>The client-event suite on PostgreSQL: each store a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresClientEventTests(PostgresCluster cluster) : ClientEventTests(new PostgresTestStores(cluster));

/// <summary>The rollout suite on SQLite: each store a temporary data folder.</summary>
public sealed class SqliteRolloutTests() : RolloutTests(new SqliteTestStores());

/// <summary>The rollout suite on PostgreSQL: each store a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRolloutTests(PostgresCluster cluster) : RolloutTests(new PostgresTestStores(cluster));

/// <summary>The abandonment suite on SQLite: each store a temporary data folder.</summary>
public sealed class SqliteAbandonmentTests() : AbandonmentTests(new SqliteTestStores());

/// <summary>The abandonment suite on PostgreSQL: each store a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAbandonmentTests(PostgresCluster cluster) : AbandonmentTests(new PostgresTestStores(cluster));
