using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.OperatorConsole;

/// <summary>The operator console suite on SQLite: each store a temporary data folder.</summary>
public sealed class SqliteOperatorConsoleTests() : OperatorConsoleTests(new SqliteTestStores());

/// <summary>The operator console suite on PostgreSQL: each store a new database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOperatorConsoleTests(PostgresCluster cluster) : OperatorConsoleTests(new PostgresTestStores(cluster));
