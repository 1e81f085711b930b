using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Passkeys.Server.Storage;
using Passkeys.Server.Tests.Storage;
using Passkeys.Server.Tokens;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// Token signing keys are encrypted at rest with a key that is not in the database: the stored
/// column is no usable key, a server on a copy of the database without the key ring refuses to start
/// (or, when told to, replaces the keys), plaintext keys of older versions are encrypted at start and
/// keep verifying their tokens, and rotation and the JWKS keep working.
/// </summary>
public abstract class SigningKeyAtRestTests : IDisposable
{
    // A fixed issuer: tokens must verify on a restarted server, which listens on another port.
    internal const string Issuer = "--Passkeys:Tokens:Issuer=http://passkeys.test";
    internal const string Kek = "--Passkeys:KeyProtection:KeyEncryptionKey=q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";

    protected abstract ServerStorage Storage { get; }

    public void Dispose()
    {
        Storage.Dispose();
        GC.SuppressFinalize(this);
    }

    private static async Task<string> SignUpAsync(TestServer server, string name) => (string)(await server.SignUpAsync(TestServer.NewClient(), name))["token"]!;

    internal static async Task<int> StatusWithTokenAsync(TestServer server, string token)
    {
        using var response = await server.SendAsync(HttpMethod.Get, "/v1/tenants/default/me/credentials", bearer: token);
        return (int)response.StatusCode;
    }

    private static async Task<SigningKeyRecord> OnlyKeyAsync(TestServer server) =>
        Assert.Single(await server.Services<IPasskeyStore>().ListSigningKeysAsync("default"));

    [StoreTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_stored_private_key_is_not_a_usable_key(bool withKek)
    {
        var storage = await Storage.NewAsync();
        await using var server = await Storage.StartAsync(storage, null, withKek ? [Issuer, Kek] : [Issuer]);
        var token = await SignUpAsync(server, "alice");
        var stored = (await OnlyKeyAsync(server)).PrivateKey;

        Assert.Equal(withKek ? StoredKeyForm.KeyEncryptionKey : StoredKeyForm.DataProtection, SigningKeyProtector.FormOf(stored));
        using var ecdsa = ECDsa.Create();
        Assert.ThrowsAny<CryptographicException>(() => ecdsa.ImportPkcs8PrivateKey(stored, out _));
        Assert.Equal(200, await StatusWithTokenAsync(server, token));
    }

    [StoreFact]
    public async Task A_copy_of_the_database_without_its_key_ring_refuses_to_start_and_signs_nothing()
    {
        var storage = await Storage.NewAsync();
        string token;
        await using (var original = await Storage.StartAsync(storage, null, Issuer))
        {
            token = await SignUpAsync(original, "alice");
        }
        var copy = await Storage.CopyWithoutKeyRingAsync(storage);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Storage.StartAsync(copy, null, Issuer));
        Assert.Contains("cannot be decrypted", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Passkeys:KeyProtection:KeyRingDirectory", refused.Message, StringComparison.Ordinal);
        Assert.Contains("DangerouslyReplaceUnreadableKeys", refused.Message, StringComparison.Ordinal);

        // Told to, it replaces the keys: the stolen token is not accepted, new sign-ins work.
        await using var replaced = await Storage.StartAsync(copy, null, Issuer, "--Passkeys:KeyProtection:DangerouslyReplaceUnreadableKeys=true");
        Assert.Empty(await replaced.Services<IPasskeyStore>().ListSigningKeysAsync("default"));
        Assert.Equal(401, await StatusWithTokenAsync(replaced, token));
        Assert.Equal(200, await StatusWithTokenAsync(replaced, await SignUpAsync(replaced, "bob")));
    }

    [StoreFact]
    public async Task A_wrong_key_encryption_key_refuses_to_start()
    {
        var storage = await Storage.NewAsync();
        await using (var original = await Storage.StartAsync(storage, null, Issuer, Kek))
        {
            await SignUpAsync(original, "alice");
        }
        var other = "--Passkeys:KeyProtection:KeyEncryptionKey=" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Storage.StartAsync(storage, null, Issuer, other));
        Assert.Contains("different key-encryption key", refused.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Plaintext_keys_of_the_old_version_are_encrypted_at_start_and_their_tokens_still_verify()
    {
        var storage = await Storage.NewAsync();
        string token;
        SigningKeyRecord old;
        await using (var before = await Storage.StartAsync(storage, null, Issuer))
        {
            token = await SignUpAsync(before, "alice");
            var key = await OnlyKeyAsync(before);
            // Store the key as versions before encryption at rest did: bare PKCS#8.
            var pkcs8 = before.Services<SigningKeyProtector>().Unprotect(key);
            Assert.True(await before.Services<IPasskeyStore>().ReplaceSigningKeyMaterialAsync("default", key.KeyId, key.PrivateKey, pkcs8));
            old = key with { PrivateKey = pkcs8 };
        }

        await using var after = await Storage.StartAsync(storage, null, Issuer);
        var migrated = await OnlyKeyAsync(after);
        Assert.Equal(old.KeyId, migrated.KeyId);
        Assert.Equal(StoredKeyForm.DataProtection, SigningKeyProtector.FormOf(migrated.PrivateKey));
        Assert.Equal(old.PrivateKey, after.Services<SigningKeyProtector>().Unprotect(migrated));
        Assert.Equal(200, await StatusWithTokenAsync(after, token));
        var jwks = await after.OkJsonAsync(HttpMethod.Get, "/v1/tenants/default/jwks.json");
        Assert.Equal(old.KeyId, (string)jwks["keys"]![0]!["kid"]!);
    }

    [StoreFact]
    public async Task Switching_to_a_key_encryption_key_re_encrypts_the_keys_at_start()
    {
        var storage = await Storage.NewAsync();
        string token;
        await using (var before = await Storage.StartAsync(storage, null, Issuer))
        {
            token = await SignUpAsync(before, "alice");
        }
        await using var after = await Storage.StartAsync(storage, null, Issuer, Kek);
        Assert.Equal(StoredKeyForm.KeyEncryptionKey, SigningKeyProtector.FormOf((await OnlyKeyAsync(after)).PrivateKey));
        Assert.Equal(200, await StatusWithTokenAsync(after, token));
    }

    [StoreTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rotation_and_the_jwks_keep_working_across_a_restart(bool withKek)
    {
        var storage = await Storage.NewAsync();
        string[] args = withKek ? [Issuer, Kek] : [Issuer];
        string first;
        await using (var before = await Storage.StartAsync(storage, null, args))
        {
            first = await SignUpAsync(before, "alice");
            await before.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants/default/signing-keys/rotate", bearer: TestServer.AdminKey);
        }
        await using var after = await Storage.StartAsync(storage, null, args);
        var second = await SignUpAsync(after, "bob");
        Assert.Equal(200, await StatusWithTokenAsync(after, first));
        Assert.Equal(200, await StatusWithTokenAsync(after, second));
        var keys = (await after.OkJsonAsync(HttpMethod.Get, "/v1/tenants/default/jwks.json"))["keys"]!.AsArray();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.Null(k!["d"])); // public parts only
    }
}

public sealed class SqliteSigningKeyAtRestTests : SigningKeyAtRestTests
{
    protected override ServerStorage Storage { get; } = new SqliteStorage();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSigningKeyAtRestTests(PostgresCluster cluster) : SigningKeyAtRestTests
{
    protected override ServerStorage Storage { get; } = new PostgresStorage(cluster);

    /// <summary>Two nodes with different key rings: the second cannot use the first's key, and says so (503, code 1040), never 500.</summary>
    [PostgresFact]
    public async Task A_node_without_the_shared_key_ring_answers_503_with_a_clear_code()
    {
        var storage = await Storage.NewAsync();
        await using var a = await Storage.StartAsync(storage);
        await using var b = await Storage.StartAsync(await Storage.CopyWithoutKeyRingAsync(storage));
        var token = await a.SignUpAsync(TestServer.NewClient(), "alice");
        using var jwks = await b.SendAsync(HttpMethod.Get, "/v1/tenants/default/jwks.json");
        await TestServer.ProblemAsync(jwks, 503, 1040);
        using var signIn = await b.SendAsync(HttpMethod.Get, "/v1/tenants/default/me/credentials", bearer: (string)token["token"]!);
        await TestServer.ProblemAsync(signIn, 503, 1040);
    }

    /// <summary>Nodes sharing a key ring folder, or a KEK, use and verify each other's keys and tokens.</summary>
    [PostgresTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_nodes_sharing_the_key_ring_or_a_kek_accept_each_others_tokens(bool withKek)
    {
        var storage = await Storage.NewAsync();
        // With a KEK each node keeps its own key ring folder: the KEK alone is shared.
        var nodes = await Task.WhenAll(
            Storage.StartAsync(storage, null, withKek ? [Issuer, Kek] : [Issuer]),
            Storage.StartAsync(withKek ? await Storage.CopyWithoutKeyRingAsync(storage) : storage, null, withKek ? [Issuer, Kek] : [Issuer]));
        await using var a = nodes[0];
        await using var b = nodes[1];
        var fromA = (string)(await a.SignUpAsync(TestServer.NewClient(), "alice"))["token"]!;
        Assert.Equal(200, await StatusWithTokenAsync(b, fromA));
        await b.OkJsonAsync(HttpMethod.Post, "/v1/admin/tenants/default/signing-keys/rotate", bearer: TestServer.AdminKey);
        var fromB = (string)(await b.SignUpAsync(TestServer.NewClient(), "bob"))["token"]!;
        Assert.Equal(200, await StatusWithTokenAsync(a, fromB));
        Assert.Equal(200, await StatusWithTokenAsync(a, fromA));
        var jwksA = (await a.OkJsonAsync(HttpMethod.Get, "/v1/tenants/default/jwks.json")).ToJsonString();
        var jwksB = (await b.OkJsonAsync(HttpMethod.Get, "/v1/tenants/default/jwks.json")).ToJsonString();
        Assert.Equal(jwksA, jwksB);
        Assert.Equal(2, JsonNode.Parse(jwksA)!["keys"]!.AsArray().Count);
    }
}
