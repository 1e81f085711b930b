using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// GET …/me/recovery-codes and …/users/{userId}/recovery-codes: how many codes are left, so a page
/// can tell after a reload whether its user has any; never the codes. One derived class per store.
/// </summary>
public abstract class RecoveryCodeStatusTests : IAsyncLifetime
{
    private TestServer _server = null!;

    protected abstract Task<TestServer> StartServerAsync();

    public async Task InitializeAsync() => _server = await StartServerAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    [StoreFact]
    public async Task The_count_of_unused_codes_follows_generation_redeem_and_replacement()
    {
        var client = TestServer.NewClient();
        var signUp = await _server.SignUpAsync(client, "erin");
        var token = (string)signUp["token"]!;
        var userId = (string)signUp["user"]!["id"]!;

        var none = await _server.OkJsonAsync(HttpMethod.Get, "/v1/tenants/default/me/recovery-codes", bearer: token);
        Assert.Equal(0, (int)none["remaining"]!);
        Assert.Null(none["generatedAt"]);

        var codes = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/me/recovery-codes", bearer: token);
        var fresh = await _server.OkJsonAsync(HttpMethod.Get, "/v1/tenants/default/me/recovery-codes", bearer: token);
        Assert.Equal(10, (int)fresh["remaining"]!);
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse((string)fresh["generatedAt"]!, System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromMinutes(5));
        // Only the count and the time: nothing about the codes themselves.
        Assert.Equal(["remaining", "generatedAt"], fresh.AsObject().Select(p => p.Key));

        await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", new { username = "erin", code = (string)codes["codes"]![3]! });
        var spent = await _server.OkJsonAsync(HttpMethod.Get, "/v1/tenants/default/me/recovery-codes", bearer: token);
        Assert.Equal(9, (int)spent["remaining"]!);

        var apiKey = await _server.CreateApiKeyAsync();
        var byApp = await _server.OkJsonAsync(HttpMethod.Get, $"/v1/tenants/default/users/{userId}/recovery-codes", apiKey: apiKey);
        Assert.Equal(9, (int)byApp["remaining"]!);

        await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/me/recovery-codes", bearer: token);
        var replaced = await _server.OkJsonAsync(HttpMethod.Get, "/v1/tenants/default/me/recovery-codes", bearer: token);
        Assert.Equal(10, (int)replaced["remaining"]!);
    }

    [StoreFact]
    public async Task Without_a_token_unknown_users_and_bad_keys_get_specific_errors()
    {
        using (var anonymous = await _server.SendAsync(HttpMethod.Get, "/v1/tenants/default/me/recovery-codes"))
        {
            await TestServer.ProblemAsync(anonymous, 401, 1006);
        }
        var apiKey = await _server.CreateApiKeyAsync();
        using (var unknown = await _server.SendAsync(HttpMethod.Get, "/v1/tenants/default/users/nobody/recovery-codes", apiKey: apiKey))
        {
            await TestServer.ProblemAsync(unknown, 404, 1010);
        }
        using (var noKey = await _server.SendAsync(HttpMethod.Get, "/v1/tenants/default/users/nobody/recovery-codes"))
        {
            Assert.Equal(401, (int)noKey.StatusCode);
        }
    }
}

/// <summary>On SQLite in a temporary folder.</summary>
public sealed class SqliteRecoveryCodeStatusTests : RecoveryCodeStatusTests
{
    protected override Task<TestServer> StartServerAsync() => TestServer.StartAsync();
}

/// <summary>On PostgreSQL: a fresh database in the run's cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRecoveryCodeStatusTests(PostgresCluster cluster) : RecoveryCodeStatusTests
{
    protected override Task<TestServer> StartServerAsync() => PostgresServer.StartAsync(cluster, null);
}
