using System.Security.Cryptography;
using static Passkeys.Authenticator.Tests.TestKit;

namespace Passkeys.Authenticator.Tests;

public class DeterminismAndStoreTests
{
    private static async Task<string> SeededRegistration(AttestationKind kind)
    {
        var (authenticator, client) = Create(new SoftwareAuthenticatorOptions { Seed = 42, Attestation = kind, Time = new FixedClock() });
        using (authenticator)
        {
            return await client.CreateAsync(CreationOptions(attestation: kind == AttestationKind.None ? "none" : "direct"));
        }
    }

    private static string Sha256Hex(string s) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s)));

    // Golden values: recorded once from this implementation. Any change to key derivation, ids,
    // signatures, certificates, CBOR or JSON layout changes them, and that must be deliberate.
    [Theory]
    [InlineData(AttestationKind.None, "21F6F32284257894439E1C701572268AF7AE6B88C373907C704976809B6AFE5B")]
    [InlineData(AttestationKind.PackedSelf, "5F5273AFB164075ABC204027C46752FE872B065F964491CFCB03E60560B16094")]
    [InlineData(AttestationKind.Packed, "53A906C1AB2C0225DAA185C07377EC740B5D6D5F393723BF3BCE1E8B62EC21BC")]
    public async Task Seeded_ES256_registration_is_byte_identical_to_the_recorded_output(AttestationKind kind, string expectedSha256)
    {
        string first = await SeededRegistration(kind);
        Assert.Equal(first, await SeededRegistration(kind));
        string actual = Sha256Hex(first);
        Assert.True(expectedSha256 == actual, $"recorded SHA-256 {expectedSha256}, produced {actual}");
    }

    [Fact]
    public async Task Seeded_ES256_assertion_is_byte_identical_across_runs()
    {
        async Task<string> Run()
        {
            var (authenticator, client) = Create(new SoftwareAuthenticatorOptions { Seed = 42, Time = new FixedClock() });
            using (authenticator)
            {
                await client.CreateAsync(CreationOptions());
                return await client.GetAsync(RequestOptions());
            }
        }
        Assert.Equal(await Run(), await Run());
    }

    [Fact]
    public async Task Saved_credentials_log_in_from_a_new_authenticator_and_keep_their_counter()
    {
        var (authenticator, client) = Create();
        var registration = Json(await client.CreateAsync(CreationOptions(algs: "-8")));
        await client.GetAsync(RequestOptions());
        string path = Path.Combine(Path.GetTempPath(), $"passkeys-store-{Guid.NewGuid():N}.json");
        try
        {
            authenticator.Store.Save(path);
            var reloaded = new SoftwareAuthenticator(new SoftwareAuthenticatorOptions { Seed = 1 }, CredentialStore.Load(path));
            var client2 = new Client.SoftwareClient(reloaded, new Client.SoftwareClientOptions { Origin = Origin });
            var response = Json(await client2.GetAsync(RequestOptions())).GetProperty("response");
            Assert.True(VerifyWithSpki(B64(registration.GetProperty("response"), "publicKey"), -8, SignedData(response), B64(response, "signature")));
            Assert.Equal(3u, ParsedAuthData.Parse(B64(response, "authenticatorData")).SignCount);

            // A reloaded seeded authenticator continues its generator instead of repeating ids.
            string second = Json(await client2.CreateAsync(CreationOptions(rpId: "login.example.com"))).GetProperty("id").GetString()!;
            Assert.NotEqual(registration.GetProperty("id").GetString(), second);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_store_file_that_is_not_a_store_is_a_FormatException()
    {
        Assert.Throws<FormatException>(() => CredentialStore.FromJson("{\"version\":7}"));
        Assert.Throws<FormatException>(() => CredentialStore.FromJson("[1,2"));
    }
}
