using System.Security.Cryptography;
using Passkeys.Authenticator.Client;
using Passkeys.Encoding;
using static Passkeys.Authenticator.Tests.TestKit;

namespace Passkeys.Authenticator.Tests;

/// <summary>One test per fault switch: exactly that defect is present, everything else is honest.</summary>
public class AuthenticatorFaultTests
{
    private static async Task<(SoftwareAuthenticator Authenticator, SoftwareClient Client, string Spki, string Id)> Registered()
    {
        var (authenticator, client) = Create();
        var json = Json(await client.CreateAsync(CreationOptions()));
        return (authenticator, client, json.GetProperty("response").GetProperty("publicKey").GetString()!, json.GetProperty("id").GetString()!);
    }

    private static async Task<(System.Text.Json.JsonElement Response, ParsedAuthData AuthData, bool SignatureValid, string Id)> Assert_(SoftwareAuthenticator authenticator, SoftwareClient client, string spki, AuthenticatorFaults fault)
    {
        authenticator.Options.Faults = fault;
        var json = Json(await client.GetAsync(RequestOptions()));
        var response = json.GetProperty("response");
        bool valid = VerifyWithSpki(Base64UrlStrict.Decode(spki, "spki"), -7, SignedData(response), B64(response, "signature"));
        return (response, ParsedAuthData.Parse(B64(response, "authenticatorData")), valid, json.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task WrongRpIdHash_changes_only_the_hash_and_the_signature_still_verifies()
    {
        var (authenticator, client, spki, id) = await Registered();
        var (_, authData, valid, reportedId) = await Assert_(authenticator, client, spki, AuthenticatorFaults.WrongRpIdHash);
        Assert.NotEqual(SHA256.HashData("example.com"u8), authData.RpIdHash);
        Assert.True(valid);
        Assert.True(authData.UP && authData.UV);
        Assert.Equal(id, reportedId);
    }

    [Fact]
    public async Task UserPresenceFlagWithoutUser_sets_UP_when_the_user_never_touched()
    {
        var (authenticator, client, spki, _) = await Registered();
        authenticator.Options.UserPresent = false;
        var honest = await Assert.ThrowsAsync<WebAuthnClientException>(() => client.GetAsync(RequestOptions()));
        Assert.Equal("NotAllowedError", honest.Name);

        var (_, authData, valid, _) = await Assert_(authenticator, client, spki, AuthenticatorFaults.UserPresenceFlagWithoutUser);
        Assert.True(authData.UP);
        Assert.True(valid);
    }

    [Fact]
    public async Task UserVerificationFlagWithoutUser_sets_UV_when_verification_was_not_requested()
    {
        var (authenticator, client, spki, _) = await Registered();
        authenticator.Options.Faults = AuthenticatorFaults.UserVerificationFlagWithoutUser;
        var json = Json(await client.GetAsync(RequestOptions(userVerification: "discouraged")));
        var response = json.GetProperty("response");
        var authData = ParsedAuthData.Parse(B64(response, "authenticatorData"));
        Assert.True(authData.UV);
        Assert.True(authData.UP);
        Assert.True(VerifyWithSpki(Base64UrlStrict.Decode(spki, "spki"), -7, SignedData(response), B64(response, "signature")));
    }

    [Fact]
    public async Task CounterRollback_reports_one_less_than_the_last_counter()
    {
        var (authenticator, client, spki, _) = await Registered();
        var (_, before, _, _) = await Assert_(authenticator, client, spki, AuthenticatorFaults.None);
        var (_, after, valid, _) = await Assert_(authenticator, client, spki, AuthenticatorFaults.CounterRollback);
        Assert.Equal(before.SignCount - 1, after.SignCount);
        Assert.True(valid);
    }

    [Fact]
    public async Task SignatureOverWrongBytes_makes_only_the_signature_fail()
    {
        var (authenticator, client, spki, id) = await Registered();
        var (response, authData, valid, reportedId) = await Assert_(authenticator, client, spki, AuthenticatorFaults.SignatureOverWrongBytes);
        Assert.False(valid);
        Assert.Equal(SHA256.HashData("example.com"u8), authData.RpIdHash);
        Assert.Equal(id, reportedId);
        Assert.Equal(0, authData.TrailingBytes);
        Assert.NotNull(response.GetProperty("signature").GetString());
    }

    [Fact]
    public async Task SignatureOverWrongBytes_breaks_the_packed_attestation_signature()
    {
        var (authenticator, client) = Create(new SoftwareAuthenticatorOptions { Seed = 1, Attestation = AttestationKind.PackedSelf, Faults = AuthenticatorFaults.SignatureOverWrongBytes });
        var json = Json(await client.CreateAsync(CreationOptions()));
        var response = json.GetProperty("response");
        var sig = ((CborByteString)((CborMap)AttestationObject(json)["attStmt"]!)["sig"]!).Value.ToArray();
        Assert.False(VerifyWithSpki(B64(response, "publicKey"), -7, SignedData(response), sig));
        Assert.NotNull(authenticator);
    }

    [Fact]
    public async Task WrongCredentialId_reports_another_id_signed_with_the_right_key()
    {
        var (authenticator, client, spki, id) = await Registered();
        var (_, _, valid, reportedId) = await Assert_(authenticator, client, spki, AuthenticatorFaults.WrongCredentialId);
        Assert.NotEqual(id, reportedId);
        Assert.True(valid);
    }

    [Fact]
    public async Task WrongCredentialId_at_registration_puts_an_id_the_authenticator_does_not_hold_in_authData()
    {
        var (authenticator, client) = Create(new SoftwareAuthenticatorOptions { Seed = 1, Faults = AuthenticatorFaults.WrongCredentialId });
        var json = Json(await client.CreateAsync(CreationOptions()));
        var authData = ParsedAuthData.Parse(B64(json.GetProperty("response"), "authenticatorData"));
        Assert.False(authenticator.HasCredential(RpId, authData.CredentialId));
        Assert.Single(authenticator.Store.Credentials);
    }

    [Fact]
    public async Task MalformedCbor_attestation_object_is_truncated_but_its_authData_is_intact()
    {
        var (_, client) = Create(new SoftwareAuthenticatorOptions { Seed = 1, Faults = AuthenticatorFaults.MalformedCbor });
        var json = Json(await client.CreateAsync(CreationOptions()));
        var response = json.GetProperty("response");
        var ex = Assert.Throws<PasskeyException>(() => CborDecoder.Decode(B64(response, "attestationObject"), CborConformance.Lax, "attestationObject"));
        Assert.Equal(PasskeyError.MalformedCbor, ex.Error);
        Assert.Equal(0, ParsedAuthData.Parse(B64(response, "authenticatorData")).TrailingBytes);
    }

    [Fact]
    public async Task MalformedCbor_in_an_assertion_is_a_truncated_extensions_map_that_is_still_signed()
    {
        var (authenticator, client, spki, _) = await Registered();
        authenticator.Options.Faults = AuthenticatorFaults.MalformedCbor;
        var response = Json(await client.GetAsync(RequestOptions())).GetProperty("response");
        byte[] authData = B64(response, "authenticatorData");
        Assert.Equal(0x80, authData[32] & 0x80);
        Assert.Equal(0xA1, authData[^1]);
        Assert.Throws<PasskeyException>(() => ParsedAuthData.Parse(authData));
        Assert.True(VerifyWithSpki(Base64UrlStrict.Decode(spki, "spki"), -7, SignedData(response), B64(response, "signature")));
    }

    [Fact]
    public async Task TrailingBytes_appends_one_signed_byte_to_authenticatorData()
    {
        var (authenticator, client, spki, _) = await Registered();
        var (_, authData, valid, _) = await Assert_(authenticator, client, spki, AuthenticatorFaults.TrailingBytes);
        Assert.Equal(1, authData.TrailingBytes);
        Assert.False(authData.ED);
        Assert.True(valid);
    }

    [Fact]
    public async Task UnrequestedExtensionOutputs_adds_outputs_nobody_asked_for()
    {
        var (authenticator, client, spki, _) = await Registered();
        var (_, authData, valid, _) = await Assert_(authenticator, client, spki, AuthenticatorFaults.UnrequestedExtensionOutputs);
        Assert.True(authData.ED);
        Assert.NotNull(authData.Extensions!["credBlob"]);
        Assert.True(valid);

        var (_, registrationClient) = Create(new SoftwareAuthenticatorOptions { Seed = 2, Faults = AuthenticatorFaults.UnrequestedExtensionOutputs });
        var reg = ParsedAuthData.Parse(B64(Json(await registrationClient.CreateAsync(CreationOptions())).GetProperty("response"), "authenticatorData"));
        Assert.True(reg.ED);
        Assert.Equal(1, reg.Extensions!.Count);
        Assert.NotNull(reg.Extensions["hmac-secret"]);
    }

    [Fact]
    public async Task UserPresenceFlagCleared_clears_only_UP()
    {
        var (authenticator, client, spki, _) = await Registered();
        var (_, authData, valid, _) = await Assert_(authenticator, client, spki, AuthenticatorFaults.UserPresenceFlagCleared);
        Assert.False(authData.UP);
        Assert.True(authData.UV);
        Assert.True(valid);
    }
}
