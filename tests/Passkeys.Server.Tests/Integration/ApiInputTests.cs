using System.Net;
using System.Text.Json.Nodes;

namespace Passkeys.Server.Tests.Integration;

/// <summary>One real server (SQLite) for <see cref="ApiInputTests"/>; each test works in its own tenant.</summary>
public sealed class ApiInputServer : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Inputs the admin CLI found mishandled: ids with '/' in the path, query parameters in the wrong
/// format or out of range, a tenant body contradicting its URL, and pages that promised more. Each
/// bad input is a specific 4xx and changes nothing.
/// </summary>
public sealed class ApiInputTests(ApiInputServer fixture) : IClassFixture<ApiInputServer>
{
    private readonly TestServer _server = fixture.Server;

    private async Task<string> NewTenantAsync()
    {
        var id = "t" + Guid.NewGuid().ToString("N")[..12];
        using var r = await _server.SendAsync(HttpMethod.Post, "/v1/admin/tenants",
            new { id, rpId = "localhost", rpName = id, origins = new[] { TestServer.Origin }, selfSignUp = true }, bearer: TestServer.AdminKey);
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return id;
    }

    /// <summary>Registers a passkey for the app's user <paramref name="userId"/> (API key); returns the credential id.</summary>
    private async Task<string> RegisterAsync(string tenant, string apiKey, string userId, string name)
    {
        var begin = await _server.OkJsonAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/registration/begin", new { user = new { id = userId, name } }, apiKey: apiKey);
        var response = await TestServer.NewClient().CreateAsync(begin["options"]!.ToJsonString());
        var finish = await _server.OkJsonAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/registration/finish", TestServer.FinishBody(begin, response));
        Assert.Equal(userId, (string)finish["user"]!["id"]!);
        return (string)finish["credential"]!["id"]!;
    }

    private Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, object? body = null) =>
        _server.SendAsync(method, path, body, bearer: TestServer.AdminKey);

    [Theory]
    [InlineData("team/ann")]   // '/' arrives as %2F, which Kestrel leaves encoded in route values
    [InlineData("a%2Fb")]      // a literal "%2F" (sent as %252F) must not become '/'
    [InlineData("50% off")]    // '%' and space
    public async Task A_user_id_with_reserved_characters_is_reachable_by_every_user_id_route(string userId)
    {
        var tenant = await NewTenantAsync();
        var apiKey = await _server.CreateApiKeyAsync(tenant);
        var credentialId = await RegisterAsync(tenant, apiKey, userId, "ann");
        await RegisterAsync(tenant, apiKey, "team", "team");   // a neighbour the '/' must not be confused with
        var user = $"/v1/tenants/{tenant}/users/{Uri.EscapeDataString(userId)}";
        var admin = $"/v1/admin/tenants/{tenant}/users/{Uri.EscapeDataString(userId)}";

        var shown = await _server.OkJsonAsync(HttpMethod.Get, admin, bearer: TestServer.AdminKey);
        Assert.Equal(userId, (string)shown["user"]!["id"]!);
        var listed = await _server.OkJsonAsync(HttpMethod.Get, user + "/credentials", apiKey: apiKey);
        Assert.Equal(credentialId, (string)Assert.Single(listed["credentials"]!.AsArray())!["id"]!);
        var renamed = await _server.OkJsonAsync(HttpMethod.Patch, $"{user}/credentials/{credentialId}", new { name = "Work key" }, apiKey: apiKey);
        Assert.Equal("Work key", (string)renamed["name"]!);
        await _server.OkJsonAsync(HttpMethod.Post, $"{user}/credentials/{credentialId}/default", apiKey: apiKey);
        Assert.Equal(10, (await _server.OkJsonAsync(HttpMethod.Post, user + "/recovery-codes", apiKey: apiKey))["codes"]!.AsArray().Count);
        var paged = await _server.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/{tenant}/users?after={Uri.EscapeDataString(userId)}", bearer: TestServer.AdminKey);
        Assert.DoesNotContain(paged["users"]!.AsArray(), u => (string)u!["id"]! == userId);

        using (var deleted = await AdminAsync(HttpMethod.Delete, admin))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        using (var gone = await AdminAsync(HttpMethod.Get, admin))
        {
            await TestServer.ProblemAsync(gone, 404, 1010);
        }
        await _server.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/{tenant}/users/team", bearer: TestServer.AdminKey);
    }

    [Theory]
    [InlineData("audit?from=garbage", "from")]
    [InlineData("audit?to=2025-13-45", "to")]
    [InlineData("audit?before=abc", "before")]
    [InlineData("audit?before=0", "before")]
    [InlineData("audit?limit=abc", "limit")]
    [InlineData("audit?userId=", "userId")]
    [InlineData("audit?userId=a&userId=b", "userId")]
    [InlineData("audit/funnel?from=yesterday", "from")]
    [InlineData("users?limit=ten", "limit")]
    [InlineData("users?after=", "after")]
    public async Task A_query_parameter_in_the_wrong_format_is_a_validation_error_naming_it(string query, string parameter)
    {
        var tenant = await NewTenantAsync();
        using var response = await AdminAsync(HttpMethod.Get, $"/v1/admin/tenants/{tenant}/{query}");
        var problem = await TestServer.ProblemAsync(response, 400, 1001);
        Assert.Contains(parameter, (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ceremony=bogus", "registration")]
    [InlineData("ceremony=Registration", "registration")]
    [InlineData("outcome=bogus", "abandoned")]
    public async Task An_unknown_audit_ceremony_or_outcome_is_refused_listing_the_allowed_values(string query, string allowed)
    {
        var tenant = await NewTenantAsync();
        using var response = await AdminAsync(HttpMethod.Get, $"/v1/admin/tenants/{tenant}/audit?{query}");
        var problem = await TestServer.ProblemAsync(response, 400, 1001);
        Assert.Contains(allowed, (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_ceremony_and_outcome_the_audit_records_is_accepted()
    {
        var tenant = await NewTenantAsync();
        foreach (var ceremony in new[] { "registration", "authentication", "step-up", "recovery", "session" })
        {
            await _server.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/{tenant}/audit?ceremony={ceremony}", bearer: TestServer.AdminKey);
        }
        foreach (var outcome in new[] { "started", "succeeded", "failed", "abandoned" })
        {
            await _server.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/{tenant}/audit?outcome={outcome}", bearer: TestServer.AdminKey);
        }
    }

    [Theory]
    [InlineData("users", "0")]
    [InlineData("users", "-1")]
    [InlineData("users", "1001")]
    [InlineData("audit", "0")]
    [InlineData("audit", "1001")]
    [InlineData("audit", "99999999999")]
    public async Task A_limit_outside_1_to_1000_is_refused_not_clamped(string list, string limit)
    {
        var tenant = await NewTenantAsync();
        using var response = await AdminAsync(HttpMethod.Get, $"/v1/admin/tenants/{tenant}/{list}?limit={limit}");
        var problem = await TestServer.ProblemAsync(response, 400, 1001);
        Assert.Contains("1000", (string)problem["detail"]!, StringComparison.Ordinal);
        await _server.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/{tenant}/{list}?limit=1000", bearer: TestServer.AdminKey);
    }

    [Fact]
    public async Task Putting_a_tenant_with_another_id_in_the_body_is_refused_and_changes_nothing()
    {
        var tenant = await NewTenantAsync();
        object Body(string? id) => new { id, rpId = "localhost", rpName = "Renamed", origins = new[] { TestServer.Origin }, selfSignUp = false };

        using (var refused = await AdminAsync(HttpMethod.Put, $"/v1/admin/tenants/{tenant}", Body("other")))
        {
            await TestServer.ProblemAsync(refused, 400, 1001);
        }
        var unchanged = await _server.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/{tenant}", bearer: TestServer.AdminKey);
        Assert.Equal(tenant, (string)unchanged["rpName"]!);
        Assert.True((bool)unchanged["selfSignUp"]!);
        using (var other = await AdminAsync(HttpMethod.Get, "/v1/admin/tenants/other"))
        {
            await TestServer.ProblemAsync(other, 404, 1008);
        }

        // The same id, or none, is a plain replace.
        Assert.Equal("Renamed", (string)(await _server.OkJsonAsync(HttpMethod.Put, $"/v1/admin/tenants/{tenant}", Body(tenant), bearer: TestServer.AdminKey))["rpName"]!);
        Assert.Equal("Renamed", (string)(await _server.OkJsonAsync(HttpMethod.Put, $"/v1/admin/tenants/{tenant}", Body(null), bearer: TestServer.AdminKey))["rpName"]!);
    }

    [Fact]
    public async Task Next_is_given_only_when_another_page_exists()
    {
        var tenant = await NewTenantAsync();
        var apiKey = await _server.CreateApiKeyAsync(tenant);
        foreach (var id in new[] { "u1", "u2", "u3" })
        {
            await RegisterAsync(tenant, apiKey, id, id);
        }
        Task<JsonNode> Get(string query) => _server.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/{tenant}/{query}", bearer: TestServer.AdminKey);

        // Users: a full last page has no next.
        var exact = await Get("users?limit=3");
        Assert.Equal(3, exact["users"]!.AsArray().Count);
        Assert.Null(exact["next"]);
        var first = await Get("users?limit=2");
        Assert.Equal("u2", (string)first["next"]!);
        var last = await Get("users?limit=2&after=u2");
        Assert.Equal("u3", (string)Assert.Single(last["users"]!.AsArray())!["id"]!);
        Assert.Null(last["next"]);

        // Audit (newest first, 'next' is the 'before' of the following page): 3 × started + succeeded,
        // and the changes around them (tenant and key created, users and passkeys added, the first signing key).
        var all = (await Get("audit"))["events"]!.AsArray();
        Assert.Equal(6, all.Count(e => (string)e!["ceremony"]! == "registration"));
        var n = all.Count;
        Assert.Null((await Get($"audit?limit={n}"))["next"]);
        var page = await Get($"audit?limit={n - 1}");
        Assert.Equal((long)all[n - 2]!["id"]!, (long)page["next"]!);
        var rest = await Get($"audit?limit={n - 1}&before={(long)page["next"]!}");
        Assert.Equal((long)all[n - 1]!["id"]!, (long)Assert.Single(rest["events"]!.AsArray())!["id"]!);
        Assert.Null(rest["next"]);
    }
}
