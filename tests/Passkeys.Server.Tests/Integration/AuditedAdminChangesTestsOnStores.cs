using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>The audited admin changes suite on SQLite: each store a temporary data folder.</summary>
public sealed class SqliteAuditedAdminChangesTests() : AuditedAdminChangesTests(new SqliteTestStores());

/// <summary>The audited admin changes suite on PostgreSQL: each store a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditedAdminChangesTests(PostgresCluster cluster) : AuditedAdminChangesTests(new PostgresTestStores(cluster));
