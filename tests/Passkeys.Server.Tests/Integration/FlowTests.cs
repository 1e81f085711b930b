using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Passkeys.Server.Tests.Storage;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Passkeys.Server.Tests.Integration;

/// <summary>Every happy flow over real HTTP with the software authenticator; one derived class per store.</summary>
public abstract class FlowTests : IAsyncLifetime
{
    private TestServer _server = null!;

    /// <summary>Starts a server on the store this variant of the suite runs against (a fresh, empty one each call).</summary>
    protected abstract Task<TestServer> StartServerAsync(TimeProvider? time = null, params string[] extraArgs);

    public async Task InitializeAsync() => _server = await StartServerAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonWebToken> VerifyTokenAsync(string token, string tenant = "default")
    {
        var jwks = await _server.Http.GetStringAsync($"/v1/tenants/{tenant}/jwks.json");
        var keys = new JsonWebKeySet(jwks).GetSigningKeys();
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = new Uri(_server.BaseAddress, $"/v1/tenants/{tenant}").ToString().TrimEnd('/'),
            ValidAudience = tenant,
            IssuerSigningKeys = keys,
            ValidAlgorithms = ["ES256"],
        });
        Assert.True(result.IsValid, result.Exception?.ToString());
        return (JsonWebToken)result.SecurityToken;
    }

    [StoreFact]
    public async Task Sign_up_then_sign_in_usernameless_and_by_username_with_tokens_verified_against_the_jwks()
    {
        var client = TestServer.NewClient();
        var signUp = await _server.SignUpAsync(client, "alice");
        var userId = (string)signUp["user"]!["id"]!;
        var credentialId = (string)signUp["credential"]!["id"]!;
        Assert.Equal("alice", (string)signUp["user"]!["name"]!);
        Assert.Equal("ALICE", (string)signUp["user"]!["displayName"]!);
        var registrationToken = await VerifyTokenAsync((string)signUp["token"]!);
        Assert.Equal(userId, registrationToken.Subject);

        var usernameless = await _server.SignInAsync(client);
        Assert.Equal(userId, (string)usernameless["user"]!["id"]!);
        Assert.Equal(credentialId, (string)usernameless["credentialId"]!);
        var jwt = await VerifyTokenAsync((string)usernameless["token"]!);
        Assert.Equal(userId, jwt.Subject);
        Assert.Equal(credentialId, jwt.GetPayloadValue<string>("cid"));
        Assert.True(jwt.GetPayloadValue<bool>("uv"));
        Assert.True(jwt.TryGetPayloadValue<long>("auth_time", out _));
        Assert.Equal("default", jwt.Audiences.Single());

        var byName = await _server.SignInAsync(client, "alice");
        Assert.Equal(userId, (string)byName["user"]!["id"]!);

        // Audit shows the funnel: started and succeeded for both ceremonies.
        var funnel = await _server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit/funnel", bearer: TestServer.AdminKey);
        var auth = funnel["ceremonies"]!.AsArray().Single(r => (string)r!["ceremony"]! == "authentication")!;
        Assert.Equal(2, (long)auth["started"]!);
        Assert.Equal(2, (long)auth["succeeded"]!);

        var metrics = await _server.Http.GetStringAsync("/metrics");
        Assert.Contains("passkeys_ceremonies_total{ceremony=\"authentication\",error=\"\",outcome=\"succeeded\",phase=\"finish\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("passkeys_store_duration_seconds_bucket", metrics, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Unknown_username_gets_fake_allow_credentials_that_are_stable()
    {
        var a = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { username = "nobody" });
        var b = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { username = "nobody" });
        var ids = a["options"]!["allowCredentials"]!.AsArray().Select(c => (string)c!["id"]!).ToList();
        Assert.NotEmpty(ids);
        Assert.Equal(ids, b["options"]!["allowCredentials"]!.AsArray().Select(c => (string)c!["id"]!));
    }

    [StoreFact]
    public async Task Second_passkey_rename_default_and_delete_by_token_and_by_api_key()
    {
        var phone = TestServer.NewClient();
        var signUp = await _server.SignUpAsync(phone, "bob");
        var token = (string)signUp["token"]!;
        var userId = (string)signUp["user"]!["id"]!;
        var first = (string)signUp["credential"]!["id"]!;

        // Second passkey on another device, started with the user's token.
        var laptop = TestServer.NewClient();
        var begin = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { }, bearer: token);
        Assert.Single(begin["options"]!["excludeCredentials"]!.AsArray());
        var created = await laptop.CreateAsync(begin["options"]!.ToJsonString());
        var finish = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/finish", TestServer.FinishBody(begin, created, "Laptop"));
        var second = (string)finish["credential"]!["id"]!;
        Assert.Equal("Laptop", (string)finish["credential"]!["name"]!);

        var list = await _server.OkJsonAsync(HttpMethod.Get, "/v1/tenants/default/me/credentials", bearer: token);
        Assert.Equal(2, list["credentials"]!.AsArray().Count);

        var renamed = await _server.OkJsonAsync(HttpMethod.Patch, $"/v1/tenants/default/me/credentials/{first}", new { name = "Phone" }, bearer: token);
        Assert.Equal("Phone", (string)renamed["name"]!);

        var byDefault = await _server.OkJsonAsync(HttpMethod.Post, $"/v1/tenants/default/me/credentials/{second}/default", bearer: token);
        Assert.True((bool)byDefault["isDefault"]!);
        var options = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { username = "bob" });
        Assert.Equal(second, (string)options["options"]!["allowCredentials"]![0]!["id"]!);

        var apiKey = await _server.CreateApiKeyAsync();
        var appList = await _server.OkJsonAsync(HttpMethod.Get, $"/v1/tenants/default/users/{userId}/credentials", apiKey: apiKey);
        Assert.Equal(2, appList["credentials"]!.AsArray().Count);
        using (var deleted = await _server.SendAsync(HttpMethod.Delete, $"/v1/tenants/default/users/{userId}/credentials/{first}", apiKey: apiKey))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        }
        using (var again = await _server.SendAsync(HttpMethod.Delete, $"/v1/tenants/default/me/credentials/{first}", bearer: token))
        {
            await TestServer.ProblemAsync(again, 404, 1011);
        }
        // The deleted passkey can no longer sign in.
        var beginAuth = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin", new { });
        var assertion = await phone.GetAsync(beginAuth["options"]!.ToJsonString());
        using var failed = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/finish", TestServer.FinishBody(beginAuth, assertion));
        await TestServer.ProblemAsync(failed, 400, 215);
    }

    [StoreFact]
    public async Task Api_key_registration_of_an_app_user()
    {
        var apiKey = await _server.CreateApiKeyAsync();
        var begin = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin",
            new { user = new { id = "app-user-7", name = "carol@example.com", displayName = "Carol" } }, apiKey: apiKey);
        var client = TestServer.NewClient();
        var finish = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/finish",
            TestServer.FinishBody(begin, await client.CreateAsync(begin["options"]!.ToJsonString())));
        Assert.Equal("app-user-7", (string)finish["user"]!["id"]!);
        var signIn = await _server.SignInAsync(client, "carol@example.com");
        Assert.Equal("app-user-7", (string)signIn["user"]!["id"]!);
    }

    [StoreFact]
    public async Task Recovery_codes_grant_a_new_passkey_once()
    {
        var lost = TestServer.NewClient();
        var signUp = await _server.SignUpAsync(lost, "dave");
        var codes = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/me/recovery-codes", bearer: (string)signUp["token"]!);
        var code = (string)codes["codes"]![0]!;
        Assert.Equal(10, codes["codes"]!.AsArray().Count);

        var redeem = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", new { username = "dave", code = code.ToLowerInvariant() });
        var grant = (string)redeem["recoveryGrant"]!;
        using (var reuse = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", new { username = "dave", code }))
        {
            await TestServer.ProblemAsync(reuse, 400, 1013);
        }

        // A begin whose browser prompt is cancelled does not spend the grant: it is spent at finish.
        var cancelled = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { recoveryGrant = grant });
        var replacement = TestServer.NewClient();
        var begin = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { recoveryGrant = grant });
        var finish = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/registration/finish",
            TestServer.FinishBody(begin, await replacement.CreateAsync(begin["options"]!.ToJsonString())));
        // The other ceremony begun with the same grant cannot also add a passkey.
        using (var second = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/finish",
            TestServer.FinishBody(cancelled, await TestServer.NewClient().CreateAsync(cancelled["options"]!.ToJsonString()))))
        {
            await TestServer.ProblemAsync(second, 401, 1006);
        }
        Assert.Equal((string)signUp["user"]!["id"]!, (string)finish["user"]!["id"]!);
        using (var grantAgain = await _server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { recoveryGrant = grant }))
        {
            await TestServer.ProblemAsync(grantAgain, 401, 1006);
        }
        var signIn = await _server.SignInAsync(replacement);
        Assert.Equal((string)signUp["user"]!["id"]!, (string)signIn["user"]!["id"]!);
    }

    [StoreFact]
    public async Task Step_up_binds_the_transaction_hash_into_the_token()
    {
        var client = TestServer.NewClient();
        var signUp = await _server.SignUpAsync(client, "erin");
        const string transaction = "Pay 120 EUR to X";
        var begin = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/step-up/begin", new { transaction }, bearer: (string)signUp["token"]!);
        var expected = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(transaction)));
        Assert.Equal(expected, (string)begin["transactionHash"]!);
        Assert.Equal("required", (string)begin["options"]!["userVerification"]!);

        var assertion = await client.GetAsync(begin["options"]!.ToJsonString());
        var finish = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/step-up/finish", TestServer.FinishBody(begin, assertion));
        Assert.Equal(expected, (string)finish["transactionHash"]!);
        var jwt = await VerifyTokenAsync((string)finish["token"]!);
        Assert.Equal(expected, jwt.GetPayloadValue<string>("txn"));

        // By the app's API key as well.
        var apiKey = await _server.CreateApiKeyAsync();
        var byApp = await _server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/step-up/begin",
            new { userId = (string)signUp["user"]!["id"]!, transaction = "Delete account" }, apiKey: apiKey);
        Assert.NotNull(byApp["ceremonyId"]);
    }

    [StoreFact]
    public async Task Service_endpoints()
    {
        var health = await _server.OkJsonAsync(HttpMethod.Get, "/health");
        Assert.Equal("ok", (string)health["store"]!);
        var related = await _server.OkJsonAsync(HttpMethod.Get, "/.well-known/webauthn");
        Assert.Contains(TestServer.Origin, related["origins"]!.AsArray().Select(o => (string)o!));
        var openApi = await _server.OkJsonAsync(HttpMethod.Get, "/openapi/v1.json");
        var paths = openApi["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/v1/tenants/{tenant}/registration/begin", paths);
        Assert.Contains("/v1/admin/tenants/{tenant}/audit", paths);
    }
}
