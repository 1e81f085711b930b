namespace Passkeys.Server.Tests.Integration;

/// <summary>The flow suite on the default store, SQLite in a temporary folder.</summary>
public sealed class SqliteFlowTests : FlowTests
{
    protected override Task<TestServer> StartServerAsync(TimeProvider? time = null, params string[] extraArgs) => TestServer.StartAsync(time, extraArgs);
}

/// <summary>The failure suite on the default store, SQLite in a temporary folder.</summary>
public sealed class SqliteFailureTests : FailureTests
{
    protected override Task<TestServer> StartServerAsync(TimeProvider? time = null, params string[] extraArgs) => TestServer.StartAsync(time, extraArgs);
}
