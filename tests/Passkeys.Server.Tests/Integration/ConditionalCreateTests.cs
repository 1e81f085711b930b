using System.Text.Json.Nodes;
using Passkeys.Authenticator.Client;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// Conditional create over real HTTP (WebAuthn L3 §5.1.3, REG-15): a registration begun with
/// <c>mediation: "conditional"</c> for a signed-in user finishes with the UP flag clear; the same
/// kind of response for a ceremony begun without it is refused (UserPresenceMissing, 207). Only an
/// signed-in user (a user token, or the app's API key for its user) may ask for it (ConditionalCreateNeedsSignedInUser, 1120).
/// One derived class per store.
/// </summary>
public abstract class ConditionalCreateTests(TestStores stores) : StoreSuite(stores)
{
    private const string Begin = "/v1/tenants/default/registration/begin";
    private const string Finish = "/v1/tenants/default/registration/finish";
    private const string Me = "/v1/tenants/default/me/credentials";

    private static async Task<int> CredentialCountAsync(TestServer server, string token) =>
        (await server.OkJsonAsync(HttpMethod.Get, Me, bearer: token))["credentials"]!.AsArray().Count;

    private static async Task<string> ConditionalResponseAsync(SoftwareClient client, JsonNode begin) =>
        await client.CreateAsync(begin["options"]!.ToJsonString(), CredentialMediation.Conditional);

    [StoreFact]
    public async Task A_conditional_create_for_a_signed_in_user_finishes_with_UP_clear_and_signs_in_later()
    {
        await using var server = await TestServer.StartAsync(null, await NewStoreAsync());
        var token = (string)(await server.SignUpAsync(TestServer.NewClient(), "erin"))["token"]!;

        var upgrade = TestServer.NewClient();
        var begin = await server.OkJsonAsync(HttpMethod.Post, Begin, new { mediation = "conditional" }, bearer: token);
        var finish = await server.OkJsonAsync(HttpMethod.Post, Finish, TestServer.FinishBody(begin, await ConditionalResponseAsync(upgrade, begin)));
        Assert.Equal("erin", (string)finish["user"]!["name"]!);
        Assert.Null(finish["refreshToken"]); // the user keeps the session they are signed in with
        Assert.Equal(2, await CredentialCountAsync(server, token));

        // The quietly made passkey is a passkey like any other: it signs in (with a touch, UP set).
        var signIn = await server.SignInAsync(upgrade);
        Assert.Equal((string)finish["credential"]!["id"]!, (string)signIn["credentialId"]!);
    }

    [StoreFact]
    public async Task The_same_UP_clear_response_for_a_modal_ceremony_is_refused_and_nothing_is_stored()
    {
        await using var server = await TestServer.StartAsync(null, await NewStoreAsync());
        var token = (string)(await server.SignUpAsync(TestServer.NewClient(), "frank"))["token"]!;

        // Absent and explicit modal mediation alike: the server never began a conditional create,
        // so a response without user presence is refused, whatever the client did.
        foreach (var body in new object[] { new { }, new { mediation = "required" }, new { mediation = "optional" } })
        {
            var begin = await server.OkJsonAsync(HttpMethod.Post, Begin, body, bearer: token);
            using var refused = await server.SendAsync(HttpMethod.Post, Finish, TestServer.FinishBody(begin, await ConditionalResponseAsync(TestServer.NewClient(), begin)));
            var problem = await TestServer.ProblemAsync(refused, 400, (int)PasskeyError.UserPresenceMissing);
            Assert.Equal(nameof(PasskeyError.UserPresenceMissing), (string)problem["error"]!);
        }
        Assert.Equal(1, await CredentialCountAsync(server, token));
    }

    [StoreFact]
    public async Task The_app_may_ask_for_a_conditional_create_for_its_signed_in_user_with_its_API_key()
    {
        await using var server = await TestServer.StartAsync(null, await NewStoreAsync());
        var apiKey = await server.CreateApiKeyAsync();
        var user = new { id = "app-user-7", name = "grace", displayName = "Grace" };

        // The app signed its password user in and upgrades them quietly: their first passkey, a user
        // this server does not know yet (the password-to-passkey path).
        var first = await server.OkJsonAsync(HttpMethod.Post, Begin, new { user, mediation = "conditional" }, apiKey: apiKey);
        var created = await server.OkJsonAsync(HttpMethod.Post, Finish, TestServer.FinishBody(first, await ConditionalResponseAsync(TestServer.NewClient(), first)));
        Assert.Equal("app-user-7", (string)created["user"]!["id"]!);

        // And an existing user's next passkey, the same way.
        var begin = await server.OkJsonAsync(HttpMethod.Post, Begin, new { user, mediation = "conditional" }, apiKey: apiKey);
        var finish = await server.OkJsonAsync(HttpMethod.Post, Finish, TestServer.FinishBody(begin, await ConditionalResponseAsync(TestServer.NewClient(), begin)));
        Assert.Equal("app-user-7", (string)finish["user"]!["id"]!);
    }

    [StoreFact]
    public async Task Sign_up_and_recovery_may_not_ask_for_a_conditional_create()
    {
        await using var server = await TestServer.StartAsync(null, await NewStoreAsync());
        using (var signUp = await server.SendAsync(HttpMethod.Post, Begin, new { user = new { name = "heidi" }, mediation = "conditional" }))
        {
            var problem = await TestServer.ProblemAsync(signUp, 400, 1120);
            Assert.Equal("ConditionalCreateNeedsSignedInUser", (string)problem["error"]!);
        }
        // Refused before anything was kept: the name is still free.
        var token = (string)(await server.SignUpAsync(TestServer.NewClient(), "heidi"))["token"]!;

        var code = (string)(await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/me/recovery-codes", bearer: token))["codes"]![0]!;
        var grant = (string)(await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/recovery/redeem", new { username = "heidi", code }))["recoveryGrant"]!;
        using (var recovery = await server.SendAsync(HttpMethod.Post, Begin, new { recoveryGrant = grant, mediation = "conditional" }))
        {
            await TestServer.ProblemAsync(recovery, 400, 1120);
        }
        // The refusal did not spend the grant: a modal registration with it still works.
        var begin = await server.OkJsonAsync(HttpMethod.Post, Begin, new { recoveryGrant = grant });
        await server.OkJsonAsync(HttpMethod.Post, Finish, TestServer.FinishBody(begin, await TestServer.NewClient().CreateAsync(begin["options"]!.ToJsonString())));
    }

    [StoreFact]
    public async Task A_mediation_that_create_does_not_know_is_a_validation_error()
    {
        await using var server = await TestServer.StartAsync(null, await NewStoreAsync());
        var token = (string)(await server.SignUpAsync(TestServer.NewClient(), "ivan"))["token"]!;
        foreach (var mediation in new[] { "silent", "Conditional", "", "conditional " })
        {
            using var refused = await server.SendAsync(HttpMethod.Post, Begin, new { mediation }, bearer: token);
            await TestServer.ProblemAsync(refused, 400, 1001);
        }
        // Not a string at all: the body is not of the documented shape.
        using var number = await server.SendAsync(HttpMethod.Post, Begin, """{ "mediation": 2 }""", bearer: token);
        await TestServer.ProblemAsync(number, 400, 1000);
    }
}
