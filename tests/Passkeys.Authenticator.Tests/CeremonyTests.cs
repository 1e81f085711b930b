using System.Security.Cryptography;
using Passkeys.Cose;
using Passkeys.Encoding;
using static Passkeys.Authenticator.Tests.TestKit;

namespace Passkeys.Authenticator.Tests;

public class CeremonyTests
{
    [Fact]
    public async Task Registration_produces_browser_shaped_json_with_consistent_authenticator_data()
    {
        var (_, client) = Create();
        var json = Json(await client.CreateAsync(CreationOptions(extensions: """{"credProps":true}""")));
        var response = json.GetProperty("response");

        Assert.Equal("public-key", json.GetProperty("type").GetString());
        Assert.Equal(json.GetProperty("id").GetString(), json.GetProperty("rawId").GetString());
        Assert.Equal("platform", json.GetProperty("authenticatorAttachment").GetString());
        Assert.True(json.GetProperty("clientExtensionResults").GetProperty("credProps").GetProperty("rk").GetBoolean());
        Assert.Equal(["internal"], response.GetProperty("transports").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(-7, response.GetProperty("publicKeyAlgorithm").GetInt32());
        Assert.Equal(
            $$"""{"type":"webauthn.create","challenge":"{{Base64UrlStrict.Encode(Challenge)}}","origin":"{{Origin}}","crossOrigin":false}""",
            System.Text.Encoding.UTF8.GetString(B64(response, "clientDataJSON")));

        var attestation = AttestationObject(json);
        Assert.Equal("none", ((CborTextString)attestation["fmt"]!).Value);
        Assert.Equal(0, ((CborMap)attestation["attStmt"]!).Count);
        byte[] authData = ((CborByteString)attestation["authData"]!).Value.ToArray();
        Assert.Equal(B64(response, "authenticatorData"), authData);

        var parsed = ParsedAuthData.Parse(authData);
        Assert.Equal(SHA256.HashData("example.com"u8), parsed.RpIdHash);
        Assert.True(parsed.UP && parsed.UV && parsed.AT && !parsed.ED && !parsed.BE && !parsed.BS);
        Assert.Equal(1u, parsed.SignCount);
        Assert.Equal(SoftwareAuthenticatorOptions.DefaultAaguid, parsed.Aaguid);
        Assert.Equal(B64(json, "rawId"), parsed.CredentialId);
        Assert.Equal(0, parsed.TrailingBytes);

        // The COSE key and the SPKI describe the same key.
        using var ec = ECDsa.Create();
        ec.ImportSubjectPublicKeyInfo(B64(response, "publicKey"), out _);
        var q = ec.ExportParameters(false).Q;
        Assert.Equal(q.X, ((CborByteString)parsed.CoseKey![-2]!).Value.ToArray());
        Assert.Equal(q.Y, ((CborByteString)parsed.CoseKey![-3]!).Value.ToArray());
    }

    public static TheoryData<int> Algorithms => [.. SupportedAlgorithms.All];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task Each_algorithm_registers_and_its_assertion_verifies_with_the_registered_key(int alg)
    {
        var (_, client) = Create();
        var registration = Json(await client.CreateAsync(CreationOptions(algs: $"{alg}")));
        var parsed = ParsedAuthData.Parse(B64(registration.GetProperty("response"), "authenticatorData"));
        Assert.Equal(alg, ((CborInteger)parsed.CoseKey![3]!).AsInt64());
        byte[] spki = B64(registration.GetProperty("response"), "publicKey");

        var assertion = Json(await client.GetAsync(RequestOptions()));
        var response = assertion.GetProperty("response");
        Assert.True(VerifyWithSpki(spki, alg, SignedData(response), B64(response, "signature")));
        Assert.Equal(registration.GetProperty("id").GetString(), assertion.GetProperty("id").GetString());
    }

    [Fact]
    public async Task First_supported_algorithm_in_request_order_is_chosen()
    {
        var (_, client) = Create(new SoftwareAuthenticatorOptions { Seed = 1, Algorithms = [SupportedAlgorithms.ES256, SupportedAlgorithms.EdDSA] });
        var json = Json(await client.CreateAsync(CreationOptions(algs: "-257,-8,-7")));
        Assert.Equal(-8, json.GetProperty("response").GetProperty("publicKeyAlgorithm").GetInt32());
    }

    [Fact]
    public async Task Assertion_has_rpIdHash_flags_incrementing_counter_and_user_handle_for_discoverable_credential()
    {
        var (_, client) = Create();
        await client.CreateAsync(CreationOptions());
        var first = Json(await client.GetAsync(RequestOptions())).GetProperty("response");
        var second = Json(await client.GetAsync(RequestOptions())).GetProperty("response");

        var a = ParsedAuthData.Parse(B64(first, "authenticatorData"));
        var b = ParsedAuthData.Parse(B64(second, "authenticatorData"));
        Assert.Equal(SHA256.HashData("example.com"u8), a.RpIdHash);
        Assert.True(a.UP && a.UV && !a.AT && !a.ED);
        Assert.Equal(2u, a.SignCount);
        Assert.Equal(3u, b.SignCount);
        Assert.Equal(UserId, B64(first, "userHandle"));
        Assert.StartsWith("""{"type":"webauthn.get",""", System.Text.Encoding.UTF8.GetString(B64(first, "clientDataJSON")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_discoverable_credential_needs_allowList_and_returns_no_user_handle()
    {
        var (_, client) = Create();
        var registration = Json(await client.CreateAsync(CreationOptions(residentKey: "discouraged", extensions: """{"credProps":true}""")));
        Assert.False(registration.GetProperty("clientExtensionResults").GetProperty("credProps").GetProperty("rk").GetBoolean());
        string id = registration.GetProperty("id").GetString()!;

        var ex = await Assert.ThrowsAsync<Client.WebAuthnClientException>(() => client.GetAsync(RequestOptions()));
        Assert.Equal("NotAllowedError", ex.Name);

        var assertion = Json(await client.GetAsync(RequestOptions(allow: Allow(id))));
        Assert.Equal(id, assertion.GetProperty("id").GetString());
        Assert.False(assertion.GetProperty("response").TryGetProperty("userHandle", out _));
    }

    [Fact]
    public async Task Synced_style_authenticator_reports_zero_counters_and_backup_flags()
    {
        var (_, client) = Create(new SoftwareAuthenticatorOptions { Seed = 1, Counter = SignCounterMode.AlwaysZero, BackupEligible = true, BackupState = true });
        var reg = ParsedAuthData.Parse(B64(Json(await client.CreateAsync(CreationOptions())).GetProperty("response"), "authenticatorData"));
        var auth = ParsedAuthData.Parse(B64(Json(await client.GetAsync(RequestOptions())).GetProperty("response"), "authenticatorData"));
        Assert.Equal(0u, reg.SignCount);
        Assert.Equal(0u, auth.SignCount);
        Assert.True(reg.BE && reg.BS && auth.BE && auth.BS);
    }

    [Fact]
    public async Task Discouraged_user_verification_leaves_UV_clear()
    {
        var (_, client) = Create();
        var reg = ParsedAuthData.Parse(B64(Json(await client.CreateAsync(CreationOptions(userVerification: "discouraged"))).GetProperty("response"), "authenticatorData"));
        Assert.True(reg.UP);
        Assert.False(reg.UV);
    }

    [Fact]
    public async Task CredProtect_is_reported_and_level_3_hides_the_credential_without_user_verification()
    {
        var (_, client) = Create();
        var json = Json(await client.CreateAsync(CreationOptions(extensions: """{"credentialProtectionPolicy":"userVerificationRequired","enforceCredentialProtectionPolicy":true}""")));
        var parsed = ParsedAuthData.Parse(B64(json.GetProperty("response"), "authenticatorData"));
        Assert.True(parsed.ED);
        Assert.Equal(3, ((CborInteger)parsed.Extensions!["credProtect"]!).AsInt64());

        string id = json.GetProperty("id").GetString()!;
        var ex = await Assert.ThrowsAsync<Client.WebAuthnClientException>(() => client.GetAsync(RequestOptions(allow: Allow(id), userVerification: "discouraged")));
        Assert.Equal("NotAllowedError", ex.Name);
        Assert.NotNull(await client.GetAsync(RequestOptions(allow: Allow(id), userVerification: "required")));
    }

    [Fact]
    public async Task Concurrent_assertions_each_get_a_distinct_counter()
    {
        var (authenticator, client) = Create(new SoftwareAuthenticatorOptions());
        await client.CreateAsync(CreationOptions());
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => client.GetAsync(RequestOptions()))));
        var counters = results.Select(r => ParsedAuthData.Parse(B64(Json(r).GetProperty("response"), "authenticatorData")).SignCount).ToList();
        Assert.Equal(50, counters.Distinct().Count());
        Assert.Equal(51u, authenticator.Store.Credentials.Single().SignCount);
    }

    [Fact]
    public async Task Ed25519_cose_key_is_an_OKP_key_whose_x_verifies_the_assertion()
    {
        var (_, client) = Create();
        var reg = Json(await client.CreateAsync(CreationOptions(algs: "-8")));
        var key = ParsedAuthData.Parse(B64(reg.GetProperty("response"), "authenticatorData")).CoseKey!;
        Assert.Equal(1, ((CborInteger)key[1]!).AsInt64());
        Assert.Equal(6, ((CborInteger)key[-1]!).AsInt64());
        var response = Json(await client.GetAsync(RequestOptions())).GetProperty("response");
        Assert.True(EdDsa.Verify(CoseCurve.Ed25519, ((CborByteString)key[-2]!).Value.Span, SignedData(response), B64(response, "signature")));
    }
}
