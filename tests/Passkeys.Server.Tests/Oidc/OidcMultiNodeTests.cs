using System.Net;
using System.Net.Http.Headers;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Oidc;

/// <summary>
/// Two nodes on one PostgreSQL database behind one public address: a code made on one node is
/// redeemed on the other, and its tokens work on both, because every key involved (the tenant's
/// signing keys, the key sealing codes and refresh tokens) comes from the shared database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OidcMultiNodeTests(PostgresCluster cluster)
{
    private const string PublicBase = "https://login.passkeys.test";

    [PostgresFact]
    public async Task A_code_from_one_node_is_redeemed_and_refreshed_on_the_other()
    {
        var database = await cluster.CreateDatabaseAsync();
        string[] args = ["--Passkeys:PublicBaseUrl=" + PublicBase, SigningKeyAtRestTests.Kek];
        await using var a = await PostgresServer.OnDatabaseAsync(database, null, args);
        await using var b = await PostgresServer.OnDatabaseAsync(database, null, args);
        using var onA = new OidcFlow(a, publicBaseUrl: PublicBase);
        using var onB = new OidcFlow(b, publicBaseUrl: PublicBase);
        await onA.AddClientAsync("spa");
        var passkey = TestServer.NewClient();
        await a.SignUpAsync(passkey, "ivan");
        var (verifier, challenge) = OidcFlow.Pkce();

        var code = await onA.AuthorizeAsync(passkey, "spa", challenge);
        var tokens = await onB.RedeemAsync(code, "spa", verifier);
        Assert.True(tokens.Status == 200, tokens.Body.ToJsonString());
        var id = await onA.ValidateAsync((string)tokens.Body["id_token"]!, "spa");
        Assert.Equal(PublicBase + "/v1/tenants/default", id.Issuer);

        var refreshed = await onA.RefreshAsync((string)tokens.Body["refresh_token"]!, "spa");
        Assert.True(refreshed.Status == 200, refreshed.Body.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/tenants/default/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string)refreshed.Body["access_token"]!);
        using var info = await onB.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, info.StatusCode);
        // Signing out on B ends the session for A too.
        using (var logout = await onB.Http.GetAsync("/v1/tenants/default/end-session?" + OidcFlow.Query(("id_token_hint", (string)tokens.Body["id_token"]!))))
        {
            Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        }
        OidcFlow.AssertOAuthError(await onA.RefreshAsync((string)refreshed.Body["refresh_token"]!, "spa"), 400, "invalid_grant", "oidc-session-ended");
    }
}
