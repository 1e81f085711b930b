using System.Text.Json.Nodes;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Crypto;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Tenants;

/// <summary>
/// A tenant's <c>algorithms</c> setting over real HTTP: what registration begin offers, what finish
/// accepts, how the admin API validates and shows it; one derived class per store.
/// </summary>
public abstract class TenantAlgorithmTests(TestStores stores) : StoreSuite(stores)
{
    private static readonly int[] LibraryDefault = [-7, -8, -48, -35, -36, -37, -257];

    private async Task<TestServer> StartAsync(params string[] extra) => await TestServer.StartAsync(null, [.. await NewStoreAsync(), .. extra]);

    private static object TenantBody(string id, object? algorithms) => algorithms is null
        ? new { id, rpId = "localhost", rpName = "Shop", origins = new[] { TestServer.Origin }, selfSignUp = true }
        : new { id, rpId = "localhost", rpName = "Shop", origins = new[] { TestServer.Origin }, selfSignUp = true, algorithms };

    private static async Task<int[]> OfferedAsync(TestServer server, string tenant, string name = "alice")
    {
        var begin = await server.OkJsonAsync(HttpMethod.Post, $"/v1/tenants/{tenant}/registration/begin", new { user = new { name } });
        return [.. begin["options"]!["pubKeyCredParams"]!.AsArray().Select(p => (int)p!["alg"]!)];
    }

    private static async Task<JsonNode?> SettingAsync(TestServer server, string tenant) =>
        (await server.OkJsonAsync(HttpMethod.Get, $"/v1/admin/tenants/{tenant}", bearer: TestServer.AdminKey))["algorithms"];

    [StoreFact]
    public async Task A_tenant_limited_to_EdDSA_offers_only_it_and_refuses_an_ES256_passkey()
    {
        await using var server = await StartAsync();
        var created = await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", TenantBody("shop", new[] { "EdDSA" }), bearer: TestServer.AdminKey);
        Assert.Equal(["EdDSA"], created["algorithms"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(["EdDSA"], (await SettingAsync(server, "shop"))!.AsArray().Select(a => (string)a!));
        Assert.Equal(new[] { -8 }, await OfferedAsync(server, "shop"));

        // An authenticator that makes only ES256 keys, behind a client that ignores the offer (as a
        // hostile or buggy one may): the passkey is refused at finish.
        var begin = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/shop/registration/begin", new { user = new { name = "bob" } });
        var options = begin["options"]!.DeepClone();
        options["pubKeyCredParams"] = new JsonArray(new JsonObject { ["type"] = "public-key", ["alg"] = -7 });
        var es256Only = TestServer.NewClient(authenticator: new SoftwareAuthenticator(new SoftwareAuthenticatorOptions { Algorithms = [SupportedAlgorithms.ES256] }));
        var response = await es256Only.CreateAsync(options.ToJsonString());
        using var refused = await server.SendAsync(HttpMethod.Post, "/v1/tenants/shop/registration/finish", TestServer.FinishBody(begin, response));
        var problem = await TestServer.ProblemAsync(refused, 400, (int)PasskeyError.AlgorithmNotAllowed);
        Assert.Equal("AlgorithmNotAllowed", (string)problem["error"]!);

        // An EdDSA passkey registers and signs in.
        var client = TestServer.NewClient();
        var signedUp = await server.SignUpAsync(client, "carol", "shop");
        await server.SignInAsync(client, tenant: "shop");
        Assert.NotNull(signedUp["credential"]);
    }

    [StoreFact]
    public async Task An_update_is_seen_by_the_next_begin_and_removing_the_setting_restores_the_default()
    {
        await using var server = await StartAsync();
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", TenantBody("shop", new[] { "EdDSA" }), bearer: TestServer.AdminKey);
        Assert.Equal(new[] { -8 }, await OfferedAsync(server, "shop"));

        // Names and numbers mix; the order is the preference.
        var updated = await server.OkJsonAsync(HttpMethod.Put, "/v1/admin/tenants/shop", TenantBody("shop", new object[] { "ML-DSA-44", -7, "es384" }), bearer: TestServer.AdminKey);
        Assert.Equal(["ML-DSA-44", "ES256", "ES384"], updated["algorithms"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(new[] { -48, -7, -35 }, await OfferedAsync(server, "shop"));

        await server.OkJsonAsync(HttpMethod.Put, "/v1/admin/tenants/shop", TenantBody("shop", null), bearer: TestServer.AdminKey);
        Assert.Null(await SettingAsync(server, "shop"));
        Assert.Equal(LibraryDefault, await OfferedAsync(server, "shop"));
    }

    [StoreFact]
    public async Task Narrowing_the_list_keeps_existing_passkeys_signing_in()
    {
        await using var server = await StartAsync();
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", TenantBody("shop", null), bearer: TestServer.AdminKey);
        var client = TestServer.NewClient(authenticator: new SoftwareAuthenticator(new SoftwareAuthenticatorOptions { Algorithms = [SupportedAlgorithms.ES256] }));
        await server.SignUpAsync(client, "dave", "shop"); // an ES256 passkey: the only algorithm this authenticator makes

        await server.OkJsonAsync(HttpMethod.Put, "/v1/admin/tenants/shop", TenantBody("shop", new[] { "EdDSA" }), bearer: TestServer.AdminKey);
        Assert.Equal(new[] { -8 }, await OfferedAsync(server, "shop", "erin"));
        await server.SignInAsync(client, tenant: "shop"); // the list governs registration only
    }

    [StoreFact]
    public async Task Without_a_setting_the_library_default_is_offered_with_ML_DSA_44_third()
    {
        await using var server = await StartAsync();
        var created = await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", TenantBody("shop", null), bearer: TestServer.AdminKey);
        Assert.Null(created["algorithms"]);
        Assert.Equal(LibraryDefault, await OfferedAsync(server, "shop"));
        Assert.Equal(LibraryDefault, await OfferedAsync(server, "default"));
        // An explicit null is the same as leaving it out.
        using var explicitNull = await server.SendAsync(HttpMethod.Put, "/v1/admin/tenants/shop",
            "{\"rpId\":\"localhost\",\"rpName\":\"Shop\",\"origins\":[\"" + TestServer.Origin + "\"],\"algorithms\":null}", bearer: TestServer.AdminKey);
        Assert.Equal(System.Net.HttpStatusCode.OK, explicitNull.StatusCode);
        Assert.Null(await SettingAsync(server, "shop"));
    }

    [StoreFact]
    public async Task Unusable_lists_are_refused_with_their_code_on_create_and_update()
    {
        await using var server = await StartAsync();
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", TenantBody("shop", new[] { "EdDSA" }), bearer: TestServer.AdminKey);
        var invalid = new (string Json, string Mentions)[]
        {
            ("[]", "empty"),
            ("[\"ES256\",\"es256\"]", "more than once"),
            ("[-7,\"ES256\"]", "more than once"),
            ("[\"RS1\"]", "'RS1'"),
            ("[-65535]", "'-65535'"),
            ("[\"ES257\"]", "'ES257'"),
            ("[-6]", "'-6'"),
            ("[\"\"]", "''"),
            ("[true]", "'true'"),
            ("[null]", "'null'"),
            ("[1.5]", "'1.5'"),
            ("[\"ES256\",99999999999]", "'99999999999'"),
        };
        foreach (var (json, mentions) in invalid)
        {
            foreach (var (method, path, id) in new[] { (HttpMethod.Post, "/v1/admin/tenants", "other"), (HttpMethod.Put, "/v1/admin/tenants/shop", "shop") })
            {
                using var response = await server.SendAsync(method, path,
                    "{\"id\":\"" + id + "\",\"rpId\":\"localhost\",\"rpName\":\"Shop\",\"origins\":[\"" + TestServer.Origin + "\"],\"algorithms\":" + json + "}",
                    bearer: TestServer.AdminKey);
                var problem = await TestServer.ProblemAsync(response, 400, 1090);
                Assert.Equal("AlgorithmsInvalid", (string)problem["error"]!);
                Assert.Contains(mentions, (string)problem["detail"]!, StringComparison.Ordinal);
            }
        }
        // Nothing was written: no tenant "other", and "shop" still offers EdDSA alone.
        using (var missing = await server.SendAsync(HttpMethod.Get, "/v1/admin/tenants/other", bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(missing, 404, 1008);
        }
        Assert.Equal(new[] { -8 }, await OfferedAsync(server, "shop"));
    }

    [StoreFact]
    public async Task The_default_tenant_takes_its_list_from_configuration()
    {
        await using var server = await StartAsync("--Passkeys:DefaultTenant:Algorithms:0=ES256", "--Passkeys:DefaultTenant:Algorithms:1=-8");
        Assert.Equal(new[] { -7, -8 }, await OfferedAsync(server, "default"));
        Assert.Equal(["ES256", "EdDSA"], (await SettingAsync(server, "default"))!.AsArray().Select(a => (string)a!));
    }

    [StoreFact]
    public async Task A_tenant_stored_before_the_setting_existed_offers_the_library_default()
    {
        var store = await NewStoreAsync();
        await (await TestServer.StartAsync(null, store)).DisposeAsync(); // creates the schema
        // As an older version wrote it: no algorithms column in the insert, so it is NULL.
        var origins = JsonListLiteral("[\"" + TestServer.Origin + "\"]");
        await ExecuteSqlAsync(store,
            "INSERT INTO tenants (id, rp_id, rp_name, origins, related_origins, user_verification, attestation, self_sign_up, created_at) VALUES " +
            $"('old', 'localhost', 'Old', {origins}, {JsonListLiteral("[]")}, 'preferred', 'none', {BoolLiteral(true)}, {TimeLiteral(1)})");

        await using var server = await TestServer.StartAsync(null, store);
        Assert.Null(await SettingAsync(server, "old"));
        Assert.Equal(LibraryDefault, await OfferedAsync(server, "old"));
    }
}
