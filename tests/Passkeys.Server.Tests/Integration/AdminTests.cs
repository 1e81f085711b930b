using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// The operator's side over real HTTP (SQLite): tenant lifecycle, signing-key rotation with
/// overlap, per-tenant rate limits, and the audit query and funnel.
/// </summary>
public sealed class AdminTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<JsonNode> Admin(HttpMethod method, string path, object? body = null) =>
        _server.OkJsonAsync(method, path, body, bearer: TestServer.AdminKey);

    private static object Shop(string rpName = "Shop", bool selfSignUp = true) => new
    {
        id = "shop",
        rpId = "shop.example",
        rpName,
        origins = new[] { "https://shop.example" },
        relatedOrigins = new[] { "https://shop.example.de" },
        userVerification = "required",
        attestation = "none",
        selfSignUp,
    };

    [Fact]
    public async Task A_tenant_is_created_used_updated_and_deleted()
    {
        var created = await Admin(HttpMethod.Post, "/v1/admin/tenants", Shop());
        Assert.Equal("shop.example", (string)created["rpId"]!);
        using (var duplicate = await _server.SendAsync(HttpMethod.Post, "/v1/admin/tenants", Shop(), bearer: TestServer.AdminKey))
        {
            Assert.Equal(409, (int)duplicate.StatusCode);
        }
        var list = await Admin(HttpMethod.Get, "/v1/admin/tenants");
        Assert.Contains(list["tenants"]!.AsArray(), t => (string)t!["id"]! == "shop");

        // The tenant's own relying-party settings drive its ceremonies.
        var begin = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/shop/registration/begin", new { user = new { name = "carol" } });
        Assert.Equal("shop.example", (string)begin["options"]!["rp"]!["id"]!);
        Assert.Equal("required", (string)begin["options"]!["authenticatorSelection"]!["userVerification"]!);

        var updated = await Admin(HttpMethod.Put, "/v1/admin/tenants/shop", new
        {
            rpId = "shop.example", rpName = "Shop & Co", origins = new[] { "https://shop.example" }, relatedOrigins = Array.Empty<string>(),
            userVerification = "preferred", attestation = "none", selfSignUp = false,
        });
        Assert.Equal("Shop & Co", (string)updated["rpName"]!);
        using (var closed = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/shop/registration/begin", new { user = new { name = "dan" } }))
        {
            await TestServer.ProblemAsync(closed, 403, 1007);
        }

        using (var deleted = await _server.SendAsync(HttpMethod.Delete, "/v1/admin/tenants/shop", bearer: TestServer.AdminKey))
        {
            Assert.Equal(204, (int)deleted.StatusCode);
        }
        using var gone = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/shop/authentication/begin", new { });
        await TestServer.ProblemAsync(gone, 404, 1008);
    }

    [Fact]
    public async Task A_tenant_with_an_invalid_origin_is_refused_with_a_clear_error()
    {
        using var bad = await _server.SendAsync(HttpMethod.Post, "/v1/admin/tenants", new
        {
            id = "bad", rpId = "bad.example", rpName = "Bad", origins = new[] { "bad.example/path" }, userVerification = "preferred", attestation = "none",
        }, bearer: TestServer.AdminKey);
        await TestServer.ProblemAsync(bad, 400, 1001);
    }

    [Fact]
    public async Task Rotating_the_signing_key_keeps_old_tokens_valid_during_the_overlap()
    {
        var client = TestServer.NewClient();
        string oldToken = (string)(await _server.SignUpAsync(client, "erin"))["token"]!;
        string oldKid = new JsonWebToken(oldToken).Kid;

        var rotated = await Admin(HttpMethod.Post, "/v1/admin/tenants/default/signing-keys/rotate");
        string newKid = (string)rotated["kid"]!;
        Assert.NotEqual(oldKid, newKid);

        var jwks = new JsonWebKeySet(await _server.Http.GetStringAsync("/v1/tenants/default/jwks.json"));
        Assert.Contains(jwks.Keys, k => k.Kid == oldKid);
        Assert.Contains(jwks.Keys, k => k.Kid == newKid);

        string newToken = (string)(await _server.SignInAsync(client))["token"]!;
        Assert.Equal(newKid, new JsonWebToken(newToken).Kid);
        foreach (string token in new[] { oldToken, newToken })
        {
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
            {
                ValidIssuer = new Uri(_server.BaseAddress, "/v1/tenants/default").ToString().TrimEnd('/'),
                ValidAudience = "default",
                IssuerSigningKeys = jwks.GetSigningKeys(),
                ValidAlgorithms = ["ES256"],
            });
            Assert.True(result.IsValid, result.Exception?.ToString());
        }
    }

    [Fact]
    public async Task Ceremonies_are_rate_limited_per_tenant_with_retry_after()
    {
        await using var server = await TestServer.StartAsync(null,
            "--Passkeys:RateLimits:Enabled=true", "--Passkeys:RateLimits:CeremonyPerAddress=1000", "--Passkeys:RateLimits:CeremonyPerTenant=3");
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", Shop(), bearer: TestServer.AdminKey);
        for (int i = 0; i < 3; i++)
        {
            await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        }
        using var limited = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        await TestServer.ProblemAsync(limited, 429, 1014);
        Assert.NotNull(limited.Headers.RetryAfter);
        // Another tenant has its own budget.
        await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/shop/authentication/begin", new { });
    }

    [Fact]
    public async Task Audit_events_are_queryable_and_add_up_to_a_funnel()
    {
        var client = TestServer.NewClient();
        await _server.SignUpAsync(client, "frank");
        await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });   // started, never finished
        using (var failed = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish",
            new JsonObject { ["ceremonyId"] = "nope", ["response"] = new JsonObject() }.ToJsonString()))
        {
            Assert.Equal(400, (int)failed.StatusCode);
        }

        var succeeded = await Admin(HttpMethod.Get, "/v1/admin/tenants/default/audit?ceremony=registration&outcome=succeeded");
        var registration = Assert.Single(succeeded["events"]!.AsArray());
        Assert.Equal("registration", (string)registration!["ceremony"]!);
        Assert.False(string.IsNullOrEmpty((string?)registration["userId"]));
        Assert.False(string.IsNullOrEmpty((string?)registration["credentialId"]));

        var failures = await Admin(HttpMethod.Get, "/v1/admin/tenants/default/audit?ceremony=authentication&outcome=failed");
        Assert.Equal(1009, (int)Assert.Single(failures["events"]!.AsArray())!["errorCode"]!);

        // The stable type filters the same events, each naming who acted and on what.
        var byType = await Admin(HttpMethod.Get, "/v1/admin/tenants/default/audit?type=registration.succeeded");
        var typed = Assert.Single(byType["events"]!.AsArray())!;
        Assert.Equal("registration.succeeded", (string)typed["type"]!);
        Assert.Equal("user", (string)typed["actor"]!["kind"]!);
        Assert.Equal((string)registration["userId"]!, (string)typed["actor"]!["id"]!);
        Assert.Equal("credential", (string)typed["target"]!["kind"]!);
        Assert.Equal((string)registration["credentialId"]!, (string)typed["target"]!["id"]!);
        var anonymous = Assert.Single((await Admin(HttpMethod.Get, "/v1/admin/tenants/default/audit?type=authentication.started"))["events"]!.AsArray())!;
        Assert.Equal("anonymous", (string)anonymous["actor"]!["kind"]!);
        Assert.Null(anonymous["target"]);
        using (var unknown = await _server.SendAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit?type=credential.exploded", bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(unknown, 400, 1001);
        }

        var funnel = await Admin(HttpMethod.Get, "/v1/admin/tenants/default/audit/funnel");
        var byCeremony = funnel["ceremonies"]!.AsArray().ToDictionary(c => (string)c!["ceremony"]!);
        Assert.Equal(1, (int)byCeremony["registration"]!["started"]!);
        Assert.Equal(1, (int)byCeremony["registration"]!["succeeded"]!);
        // The funnel counts ceremonies (docs/analytics.md): the finish naming no ceremony failed (it is in the
        // audit log above) but belongs to no begun sign-in; the one begun is started and still open.
        Assert.Equal(1, (int)byCeremony["authentication"]!["started"]!);
        Assert.Equal(0, (int)byCeremony["authentication"]!["failed"]!);
    }
}
