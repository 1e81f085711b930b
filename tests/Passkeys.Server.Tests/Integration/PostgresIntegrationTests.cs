using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>The flow suite on PostgreSQL: every server gets a fresh database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresFlowTests(PostgresCluster cluster) : FlowTests
{
    protected override Task<TestServer> StartServerAsync(TimeProvider? time = null, params string[] extraArgs) =>
        PostgresServer.StartAsync(cluster, time, extraArgs);
}

/// <summary>The failure suite on PostgreSQL: every server gets a fresh database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresFailureTests(PostgresCluster cluster) : FailureTests
{
    protected override Task<TestServer> StartServerAsync(TimeProvider? time = null, params string[] extraArgs) =>
        PostgresServer.StartAsync(cluster, time, extraArgs);
}

/// <summary>Starts test servers with <c>Passkeys:Store=postgres</c>.</summary>
internal static class PostgresServer
{
    /// <summary>A server on a new, empty database.</summary>
    public static async Task<TestServer> StartAsync(PostgresCluster cluster, TimeProvider? time, params string[] extraArgs) =>
        await OnDatabaseAsync(await cluster.CreateDatabaseAsync(), time, extraArgs);

    /// <summary>A server on the given database (several servers on one database are several nodes).</summary>
    public static Task<TestServer> OnDatabaseAsync(string connectionString, TimeProvider? time = null, params string[] extraArgs) =>
        TestServer.StartAsync(time, ["--Passkeys:Store=postgres", "--Passkeys:ConnectionString=" + connectionString, .. extraArgs]);
}
