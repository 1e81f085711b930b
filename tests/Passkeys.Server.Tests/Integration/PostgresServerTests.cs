using System.Net;
using Microsoft.Extensions.Options;
using Passkeys.Server.Tests.Storage;
using Passkeys.TestSupport;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// The server on PostgreSQL beyond the shared suites: clear refusals at start for a bad configuration or
/// an unreachable database, 503 (never 500) when the store goes away, 4xx for text PostgreSQL cannot store.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresCluster cluster)
{
    private static string[] Args(params string[] extra) =>
        ["--urls", "http://127.0.0.1:0", "--Passkeys:AdminKey=" + TestServer.AdminKey, "--Logging:LogLevel:Default=None", "--Passkeys:Store=postgres", .. extra];

    [Fact]
    public void A_missing_connection_string_is_refused_naming_the_setting()
    {
        var e = Assert.Throws<OptionsValidationException>(() => PasskeysServerApp.Build(Args()));
        Assert.Contains("Passkeys:ConnectionString", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_connection_string_is_refused_naming_the_setting()
    {
        var e = Assert.Throws<OptionsValidationException>(() => PasskeysServerApp.Build(Args("--Passkeys:ConnectionString=Hots=db;Nonsense")));
        Assert.Contains("Passkeys:ConnectionString is not a valid PostgreSQL connection string", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_server_stops_the_start_with_where_it_tried_and_never_the_password()
    {
        using var closed = LoopbackPort.Reserve();
        var port = closed.Port;
        var e = Assert.Throws<InvalidOperationException>(() => PasskeysServerApp.Build(
            Args($"--Passkeys:ConnectionString=Host=127.0.0.1;Port={port};Database=passkeys;Username=app;Password=s3cret-pw;Timeout=5")));
        Assert.Contains($"127.0.0.1:{port}/passkeys as app", e.Message, StringComparison.Ordinal);
        Assert.Contains("Passkeys:ConnectionString", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", e.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Losing_the_database_turns_health_and_requests_into_503_not_500()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var server = await PostgresServer.OnDatabaseAsync(database);
        await server.OkJsonAsync(HttpMethod.Get, "/health");

        await cluster.DropDatabaseAsync(database);

        using var health = await server.SendAsync(HttpMethod.Get, "/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("unavailable", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var begin = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        await TestServer.ProblemAsync(begin, 503, 1016); // StoreUnavailable
    }

    [PostgresTheory]
    [InlineData("\\u0000")] // PostgreSQL text cannot hold NUL (SQLite can)
    [InlineData("\\ud800")] // a lone surrogate has no UTF-8 form
    public async Task Text_postgresql_cannot_store_is_a_4xx_not_a_5xx(string escaped)
    {
        await using var server = await PostgresServer.StartAsync(cluster, null);
        var value = "a" + escaped + "b";
        using var finish = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", "{\"ceremonyId\":\"" + value + "\",\"response\":{}}");
        Assert.Equal(400, (int)finish.StatusCode);
        using var begin = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", "{\"username\":\"" + value + "\"}");
        Assert.InRange((int)begin.StatusCode, 200, 499);
        using var redeem = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", "{\"username\":\"" + value + "\",\"code\":\"ABCD-EFGH\"}");
        Assert.InRange((int)redeem.StatusCode, 400, 499);
    }
}
