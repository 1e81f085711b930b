using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Protocol;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tests.Storage;

namespace Passkeys.Server.Tests.Migration;

/// <summary>
/// Passkeys another library registered (ASP.NET Core Identity, fido2-net-lib), made by the software
/// authenticator exactly as those libraries' creation options ask, written in their stores' shapes,
/// imported and used to sign in; one derived class per store.
/// </summary>
public abstract class ForeignPasskeyTests : IDisposable
{
    /// <summary>Where the servers keep their data.</summary>
    protected abstract ServerStorage Storage { get; }

    internal async Task<TestServer> StartWithShopAsync()
    {
        var server = await Storage.StartAsync(await Storage.NewAsync());
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants", new { id = "shop", rpId = "localhost", rpName = "Shop", origins = new[] { TestServer.Origin } },
            bearer: TestServer.AdminKey);
        return server;
    }

    /// <summary>A passkey registered by another relying party on localhost for the user handle <paramref name="handle"/>.</summary>
    internal static async Task<(SoftwareClient Client, JsonNode Response, AttestedCredentialData Credential, AuthenticatorData Data)> RegisterElsewhereAsync(byte[] handle, string name)
    {
        var client = TestServer.NewClient();
        var options = new JsonObject
        {
            ["rp"] = new JsonObject { ["id"] = "localhost", ["name"] = "localhost" },
            ["user"] = new JsonObject { ["id"] = Base64Url(handle), ["name"] = name, ["displayName"] = name },
            ["challenge"] = Base64Url(RandomNumberGenerator.GetBytes(32)),
            ["pubKeyCredParams"] = new JsonArray(new JsonObject { ["type"] = "public-key", ["alg"] = -7 }),
            ["authenticatorSelection"] = new JsonObject { ["residentKey"] = "required", ["userVerification"] = "preferred" },
            ["attestation"] = "none",
        };
        var response = JsonNode.Parse(await client.CreateAsync(options.ToJsonString()))!;
        var attestation = AttestationObject.Parse(Convert.FromBase64String(Standard((string)response["response"]!["attestationObject"]!)));
        return (client, response, attestation.AuthenticatorData.AttestedCredentialData!, attestation.AuthenticatorData);
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Standard(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - s.Length % 4) % 4);
    }

    /// <summary>A row of AspNetUserPasskeys as System.Text.Json writes IdentityUserPasskey&lt;string&gt; (PascalCase, byte[] as base64).</summary>
    internal static JsonObject IdentityRow(string userId, JsonNode response, AttestedCredentialData credential, AuthenticatorData data) => new()
    {
        ["UserId"] = userId,
        ["CredentialId"] = Convert.ToBase64String(credential.CredentialId.ToArray()),
        ["PublicKey"] = Convert.ToBase64String(credential.CredentialPublicKey.Encoded.ToArray()),
        ["Name"] = "Phone",
        ["CreatedAt"] = "2025-03-01T10:00:00+00:00",
        ["SignCount"] = data.SignCount,
        ["Transports"] = response["response"]!["transports"]!.DeepClone(),
        ["IsUserVerified"] = data.UserVerified,
        ["IsBackupEligible"] = data.BackupEligible,
        ["IsBackedUp"] = data.BackupState,
        ["AttestationObject"] = Standard((string)response["response"]!["attestationObject"]!),
        ["ClientDataJson"] = Standard((string)response["response"]!["clientDataJSON"]!),
    };

    [StoreFact]
    public async Task An_aspnetcore_identity_passkey_signs_in_after_import_as_the_same_user()
    {
        await using var server = await StartWithShopAsync();
        // Identity's user handle is the UTF-8 of the user id (PasskeyHandler: BufferSource.FromString(userEntity.Id)).
        var (client, response, credential, data) = await RegisterElsewhereAsync("8d3c5f0e-user-1"u8.ToArray(), "alice@example.com");
        var file = new JsonObject
        {
            ["format"] = "aspnetcore-identity",
            ["users"] = new JsonArray(
                new JsonObject { ["Id"] = "8d3c5f0e-user-1", ["UserName"] = "alice@example.com" },
                new JsonObject { ["Id"] = "8d3c5f0e-user-2", ["UserName"] = "bob@example.com" }), // no passkey yet: imported all the same
            ["passkeys"] = new JsonArray(IdentityRow("8d3c5f0e-user-1", response, credential, data)),
        };
        var summary = await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants/shop/import", file.ToJsonString(), bearer: TestServer.AdminKey);
        Assert.Equal(2, (int)summary["users"]!);
        Assert.Equal(1, (int)summary["credentials"]!);

        var signIn = await server.SignInAsync(client, tenant: "shop");
        Assert.Equal("8d3c5f0e-user-1", (string)signIn["user"]!["id"]!);
        var detail = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop/users/8d3c5f0e-user-1", bearer: TestServer.AdminKey);
        Assert.Equal("Phone", (string)detail["credentials"]![0]!["name"]!);
        Assert.Equal(credential.Aaguid, (Guid)detail["credentials"]![0]!["aaguid"]!);
        await server.SignInAsync(client, "alice@example.com", "shop");
    }

    [StoreFact]
    public async Task An_identity_row_in_the_earlier_shape_with_a_data_object_imports_too()
    {
        await using var server = await StartWithShopAsync();
        var (client, response, credential, data) = await RegisterElsewhereAsync("42"u8.ToArray(), "carol");
        var row = IdentityRow("ignored", response, credential, data);
        var file = new JsonObject
        {
            ["format"] = "aspnetcore-identity",
            ["users"] = new JsonArray(new JsonObject { ["id"] = 42, ["userName"] = "carol" }),
            ["passkeys"] = new JsonArray(new JsonObject { ["userId"] = 42, ["credentialId"] = row["CredentialId"]!.DeepClone(), ["data"] = row }),
        };
        // IdentityUser<int>: the key is a number; the user id (and handle) is its text.
        file["users"]![0]!["id"] = "42";
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants/shop/import", file.ToJsonString(), bearer: TestServer.AdminKey);
        Assert.Equal("42", (string)(await server.SignInAsync(client, tenant: "shop"))["user"]!["id"]!);
    }

    [StoreFact]
    public async Task A_fido2_net_lib_stored_credential_signs_in_after_import_as_the_same_user()
    {
        await using var server = await StartWithShopAsync();
        // fido2-net-lib's Fido2User.Id: bytes of the app's choosing, here random.
        var handle = RandomNumberGenerator.GetBytes(16);
        var (client, response, credential, data) = await RegisterElsewhereAsync(handle, "dave");
        var id = Convert.ToBase64String(credential.CredentialId.ToArray());
        var stored = new JsonObject
        {
            ["Id"] = id,
            ["PublicKey"] = Convert.ToBase64String(credential.CredentialPublicKey.Encoded.ToArray()),
            ["SignCount"] = data.SignCount,
            ["Transports"] = new JsonArray("internal", "hybrid"),
            ["IsBackupEligible"] = data.BackupEligible,
            ["IsBackedUp"] = data.BackupState,
            ["AttestationObject"] = Standard((string)response["response"]!["attestationObject"]!),
            ["AttestationClientDataJSON"] = Standard((string)response["response"]!["clientDataJSON"]!),
            ["DevicePublicKeys"] = new JsonArray(),
            ["UserId"] = Convert.ToBase64String(handle),
            ["Descriptor"] = new JsonObject { ["type"] = "public-key", ["id"] = id, ["transports"] = new JsonArray("internal") },
            ["UserHandle"] = Convert.ToBase64String(handle),
            ["AttestationFormat"] = "none",
            ["RegDate"] = "2024-11-05T08:00:00Z",
            ["AaGuid"] = credential.Aaguid.ToString(),
        };
        var file = new JsonObject
        {
            ["format"] = "fido2-net-lib",
            ["users"] = new JsonArray(new JsonObject { ["id"] = "user-dave", ["name"] = "dave", ["displayName"] = "Dave D", ["handle"] = Convert.ToBase64String(handle) }),
            ["credentials"] = new JsonArray(stored),
        };
        await server.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants/shop/import", file.ToJsonString(), bearer: TestServer.AdminKey);
        var signIn = await server.SignInAsync(client, tenant: "shop");
        Assert.Equal("user-dave", (string)signIn["user"]!["id"]!);
        var detail = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/shop/users/user-dave", bearer: TestServer.AdminKey);
        Assert.Equal(["internal", "hybrid"], detail["credentials"]![0]!["transports"]!.AsArray().Select(t => (string)t!));
    }

    public void Dispose()
    {
        Storage.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The foreign-passkey suite on SQLite.</summary>
public sealed class SqliteForeignPasskeyTests : ForeignPasskeyTests
{
    protected override ServerStorage Storage { get; } = new SqliteStorage();
}

/// <summary>The foreign-passkey suite on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresForeignPasskeyTests(PostgresCluster cluster) : ForeignPasskeyTests
{
    protected override ServerStorage Storage { get; } = new PostgresStorage(cluster);
}
