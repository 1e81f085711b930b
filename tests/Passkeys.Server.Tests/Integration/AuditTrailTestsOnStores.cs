using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>The audit trail suite on SQLite: each store a temporary data folder.</summary>
public sealed class SqliteAuditTrailTests() : AuditTrailTests(new SqliteTestStores());

/// <summary>The audit trail suite on PostgreSQL: each store a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditTrailTests(PostgresCluster cluster) : AuditTrailTests(new PostgresTestStores(cluster));

/// <summary>The audit atomicity suite on SQLite: each store a temporary data folder.</summary>
public sealed class SqliteAuditAtomicityTests() : AuditAtomicityTests(new SqliteTestStores());

/// <summary>The audit atomicity suite on PostgreSQL: each store a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditAtomicityTests(PostgresCluster cluster) : AuditAtomicityTests(new PostgresTestStores(cluster));
