using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Passkeys.Attestation;
using Passkeys.Authenticator;
using Passkeys.Ceremonies;
using Passkeys.Cose;
using Passkeys.Protocol;
using static Passkeys.Tests.Ceremonies.Scenario;

namespace Passkeys.Tests.Ceremonies;

/// <summary>
/// The appid extension (WebAuthn L3 §10.1.1) end to end: a credential registered through legacy
/// U2F (fido-u2f attestation, rpIdHash = SHA-256 of the AppID) signs in through the relying party,
/// the software client and the software authenticator. AUTH-15-rpidhash accepts SHA-256(AppID)
/// only when the RP requested that AppID and the client reports it used it.
/// </summary>
public class AppIdTests
{
    private const string AppId = "https://example.com/appid.json";

    /// <summary>What a server migrating from U2F holds: a record for a credential made at the AppID, not the RP ID.</summary>
    internal static CredentialRecord RegisterU2f(Scenario s, string appId = AppId)
    {
        s.Authenticator.Options.Attestation = AttestationKind.FidoU2f;
        byte[] clientDataHash = SHA256.HashData("U2F registration client data"u8);
        var made = s.Authenticator.MakeCredential(new MakeCredentialRequest
        {
            ClientDataHash = clientDataHash,
            Rp = new RelyingPartyEntity(appId),
            User = new UserEntity(UserId),
            PubKeyCredParams = [(int)CoseAlgorithm.ES256],
        });
        s.Authenticator.Options.Attestation = AttestationKind.None;

        var attestation = AttestationObject.Parse(made.AttestationObject);
        Assert.Equal("fido-u2f", attestation.Format);
        Assert.Equal(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(appId)), attestation.AuthenticatorData.RpIdHash.ToArray());
        var verified = new FidoU2fAttestationVerifier().Verify(new AttestationStatementInput(
            attestation.Format, attestation.Statement, attestation.AuthenticatorData, clientDataHash, new AttestationVerificationOptions(), TimeProvider.System));
        Assert.Equal(AttestationType.Basic, verified.Type);

        var credential = attestation.AuthenticatorData.AttestedCredentialData!;
        return new CredentialRecord
        {
            Id = credential.CredentialId.ToArray(),
            UserHandle = UserId,
            PublicKey = credential.CredentialPublicKey.Encoded.ToArray(),
            Algorithm = credential.CredentialPublicKey.Algorithm,
            SignCount = attestation.AuthenticatorData.SignCount,
            Aaguid = credential.Aaguid,
            AttestationFormat = attestation.Format,
        };
    }

    private static AuthenticationRequest AppIdRequest(CredentialRecord record, string appId = AppId) =>
        new() { AppId = appId, UserHandle = UserId, AllowCredentials = [new CredentialDescriptor(record.Id)] };

    private static bool? AppIdOutput(string response) => JsonNode.Parse(response)!["clientExtensionResults"]!["appid"]?.GetValue<bool>();

    private static string WithAppIdOutput(string response, bool used) => Edit(response, o => o["clientExtensionResults"]!["appid"] = used);

    [Fact]
    public async Task AUTH_15_rpidhash_accepts_the_AppID_hash_for_a_U2F_credential_when_appid_was_requested_and_used()
    {
        using var s = new Scenario();
        var record = RegisterU2f(s);
        var ceremony = s.RelyingParty.BeginAuthentication(AppIdRequest(record));
        Assert.Equal(AppId, JsonNode.Parse(ceremony.OptionsJson)!["extensions"]!["appid"]!.GetValue<string>());

        string response = await s.Client.GetAsync(ceremony.OptionsJson);
        Assert.True(AppIdOutput(response));

        // The state as a server keeps it between the two requests.
        var state = AuthenticationState.Deserialize(ceremony.State.Serialize());
        var result = s.RelyingParty.FinishAuthentication(response, state, record);
        Assert.Equal(record.Id, result.CredentialId);
        Assert.Equal(UserId, result.UserHandle);
        Assert.True(result.SignCount > record.SignCount);

        // The pre-parsed overload, and appid after another (ignored) output with a nested value.
        Assert.Equal(record.Id, s.RelyingParty.FinishAuthentication(AuthenticationResponse.Parse(response), state, record).CredentialId);
        string reordered = Edit(response, o => o["clientExtensionResults"] = new JsonObject { ["largeBlob"] = new JsonObject { ["written"] = false }, ["appid"] = true });
        Assert.Equal(record.Id, s.RelyingParty.FinishAuthentication(reordered, state, record).CredentialId);
    }

    [Fact]
    public async Task AUTH_15_rpidhash_fails_for_the_AppID_hash_when_the_client_reports_appid_false()
    {
        using var s = new Scenario();
        var record = RegisterU2f(s);
        var (response, state) = await s.GetAsync(AppIdRequest(record));
        Assert.Equal(PasskeyError.RpIdHashMismatch, ErrorOf(() => s.RelyingParty.FinishAuthentication(WithAppIdOutput(response, false), state, record)));
        string withoutOutput = Edit(response, o => o["clientExtensionResults"] = new JsonObject());
        Assert.Equal(PasskeyError.RpIdHashMismatch, ErrorOf(() => s.RelyingParty.FinishAuthentication(withoutOutput, state, record)));
    }

    [Theory]
    [InlineData(UnrequestedExtensionPolicy.Ignore)]
    [InlineData(UnrequestedExtensionPolicy.Reject)]
    public async Task AUTH_15_rpidhash_fails_for_the_AppID_hash_when_the_RP_did_not_request_appid(UnrequestedExtensionPolicy policy)
    {
        using var s = new Scenario();
        s.Options.UnrequestedExtensions = policy;
        var record = RegisterU2f(s);
        var (response, state) = await s.GetAsync(AppIdRequest(record));
        Assert.True(AppIdOutput(response));
        var unrequested = state with { AppId = null };
        Assert.Equal(PasskeyError.RpIdHashMismatch, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, unrequested, record)));
    }

    [Fact]
    public async Task AUTH_15_rpidhash_fails_when_the_credential_is_scoped_to_another_AppID_than_the_one_requested()
    {
        using var s = new Scenario();
        var record = RegisterU2f(s);
        var (response, state) = await s.GetAsync(AppIdRequest(record));
        var other = state with { AppId = "https://example.com/other-appid.json" };
        Assert.Equal(PasskeyError.RpIdHashMismatch, ErrorOf(() => s.RelyingParty.FinishAuthentication(response, other, record)));
    }

    [Fact]
    public async Task AUTH_15_rpidhash_signs_in_a_passkey_when_appid_is_requested_but_not_used()
    {
        using var s = new Scenario();
        var record = (await s.RegisterAsync()).Credential;
        var (response, state) = await s.GetAsync(AppIdRequest(record));
        Assert.False(AppIdOutput(response));
        var result = s.RelyingParty.FinishAuthentication(response, state, record);
        Assert.Equal(record.Id, result.CredentialId);
    }

    [Fact]
    public async Task AUTH_15_rpidhash_fails_for_a_passkey_when_the_response_claims_the_AppID_was_used()
    {
        using var s = new Scenario();
        var record = (await s.RegisterAsync()).Credential;
        var (response, state) = await s.GetAsync(AppIdRequest(record));
        Assert.Equal(PasskeyError.RpIdHashMismatch, ErrorOf(() => s.RelyingParty.FinishAuthentication(WithAppIdOutput(response, true), state, record)));
    }

    [Fact]
    public async Task A_U2F_credential_cannot_sign_in_without_appid()
    {
        using var s = new Scenario();
        var record = RegisterU2f(s);
        var ceremony = s.RelyingParty.BeginAuthentication(new AuthenticationRequest { UserHandle = UserId, AllowCredentials = [new CredentialDescriptor(record.Id)] });
        var e = await Assert.ThrowsAsync<global::Passkeys.Authenticator.Client.WebAuthnClientException>(() => s.Client.GetAsync(ceremony.OptionsJson));
        Assert.Equal("NotAllowedError", e.Name);
    }

    [Theory]
    [InlineData("http://example.com/appid.json")]
    [InlineData("https://other.com/appid.json")]
    [InlineData("https://example.com.evil.net/appid.json")]
    [InlineData("https://192.168.1.10/appid.json")]
    public void Fails_at_begin_when_appid_is_not_an_https_URL_on_the_RP_ID(string appId)
    {
        using var s = new Scenario();
        Assert.Equal(PasskeyError.InvalidConfiguration,
            ErrorOf(() => s.RelyingParty.BeginAuthentication(new AuthenticationRequest { AppId = appId, UserHandle = UserId })));
    }
}
