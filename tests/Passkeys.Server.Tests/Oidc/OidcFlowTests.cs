using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Oidc;

/// <summary>The OpenID Connect provider end to end over real HTTP, on each store.</summary>
public abstract class OidcFlowTests(IOidcStore store)
{
    private async Task<TestServer> StartAsync() => await TestServer.StartAsync(null, await store.NewStoreArgsAsync());

    [Fact]
    public async Task Discovery_document_describes_the_tenant_provider()
    {
        await using var server = await StartAsync();
        using var flow = new OidcFlow(server);
        var doc = JsonNode.Parse(await flow.Http.GetStringAsync("/v1/tenants/default/.well-known/openid-configuration"))!;
        Assert.Equal(flow.Issuer, (string)doc["issuer"]!);
        Assert.Equal(flow.Issuer + "/authorize", (string)doc["authorization_endpoint"]!);
        Assert.Equal(flow.Issuer + "/token", (string)doc["token_endpoint"]!);
        Assert.Equal(flow.Issuer + "/userinfo", (string)doc["userinfo_endpoint"]!);
        Assert.Equal(flow.Issuer + "/end-session", (string)doc["end_session_endpoint"]!);
        Assert.Equal(flow.Issuer + "/jwks.json", (string)doc["jwks_uri"]!);
        Assert.Equal(["S256"], doc["code_challenge_methods_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["code"], doc["response_types_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["ES256"], doc["id_token_signing_alg_values_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["urn:passkeys:acr:passkey:uv", "urn:passkeys:acr:passkey"], doc["acr_values_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Contains("offline_access", doc["scopes_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Contains("authorization_code", doc["grant_types_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Contains("refresh_token", doc["grant_types_supported"]!.AsArray().Select(v => (string)v!));

        // An unknown tenant has no provider.
        using var missing = await flow.Http.GetAsync("/v1/tenants/nobody/.well-known/openid-configuration");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Code_flow_with_pkce_gives_tokens_that_validate_against_the_jwks()
    {
        await using var server = await StartAsync();
        using var flow = new OidcFlow(server);
        await flow.AddClientAsync("spa");
        var passkey = TestServer.NewClient();
        var signUp = await server.SignUpAsync(passkey, "alice");
        var userId = (string)signUp["user"]!["id"]!;
        var (verifier, challenge) = OidcFlow.Pkce();

        var code = await flow.AuthorizeAsync(passkey, "spa", challenge);
        var tokens = await flow.RedeemAsync(code, "spa", verifier);
        Assert.True(tokens.Status == 200, tokens.Body.ToJsonString());
        Assert.Equal("Bearer", (string?)tokens.Body["token_type"]);

        var id = await flow.ValidateAsync((string)tokens.Body["id_token"]!, "spa");
        Assert.Equal(userId, id.Subject);
        Assert.Equal("n-0S6_WzA2Mj", id.GetPayloadValue<string>("nonce"));
        Assert.StartsWith("urn:passkeys:acr:passkey", OidcAcr(id), StringComparison.Ordinal);
        var amr = id.GetPayloadValue<string[]>("amr");
        Assert.Contains(amr[0], new[] { "hwk", "swk" });
        Assert.Equal(amr.Contains("user"), OidcAcr(id) == "urn:passkeys:acr:passkey:uv");
        Assert.True(id.GetPayloadValue<long>("auth_time") > 0);
        Assert.False(string.IsNullOrEmpty(id.GetPayloadValue<string>("sid")));
        Assert.Equal("alice", id.GetPayloadValue<string>("preferred_username"));
        Assert.False(id.TryGetPayloadValue<string>("passkeys_session_secret", out _));

        var access = await flow.ValidateAsync((string)tokens.Body["access_token"]!, "spa");
        Assert.Equal(userId, access.Subject);
        Assert.False(access.TryGetPayloadValue<string>("passkeys_session_secret", out _));

        using var userinfo = new HttpRequestMessage(HttpMethod.Get, "/v1/tenants/default/userinfo");
        userinfo.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string)tokens.Body["access_token"]!);
        using var info = await flow.Http.SendAsync(userinfo);
        var claims = JsonNode.Parse(await info.Content.ReadAsStringAsync())!;
        Assert.Equal(userId, (string)claims["sub"]!);
        Assert.Equal("alice", (string)claims["preferred_username"]!);
        Assert.False(string.IsNullOrEmpty((string?)tokens.Body["refresh_token"]));
    }

    private static string OidcAcr(Microsoft.IdentityModel.JsonWebTokens.JsonWebToken token) => token.GetPayloadValue<string>("acr");
}

public sealed class SqliteOidcFlowTests() : OidcFlowTests(new SqliteOidcStore());

[Collection(PostgresCollection.Name)]
public sealed class PostgresOidcFlowTests(PostgresCluster cluster) : OidcFlowTests(new PostgresOidcStore(cluster));
