using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Passkeys.Attestation;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Ceremonies;
using Passkeys.Cose;
using Passkeys.Encoding;
using Passkeys.Protocol;
using static Passkeys.Tests.Ceremonies.Scenario;

namespace Passkeys.Tests.Ceremonies;

/// <summary>
/// WebAuthn L3 §7.1: one success, then one test per verification step that changes exactly one
/// thing and asserts the step's error code. Test names carry the step ids of webauthn-l3-steps.md.
/// </summary>
public class RegistrationStepTests
{
    [Fact]
    public async Task REG_27_record_holds_what_the_registration_established()
    {
        using var s = new Scenario();
        var result = await s.RegisterAsync();
        Assert.Equal(UserId, result.Credential.UserHandle);
        Assert.Equal(CoseAlgorithm.ES256, result.Credential.Algorithm);
        Assert.Equal("none", result.Credential.AttestationFormat);
        Assert.Equal(SoftwareAuthenticatorOptions.DefaultAaguid, result.Credential.Aaguid);
        Assert.True(result.Credential.UvInitialized);
        Assert.True(result.Discoverable);
        Assert.Equal(AttestationTrustStatus.NoTrustPath, result.Trust.Status);
        Assert.Equal(result.Credential.PublicKey, CosePublicKey.Decode(result.Credential.PublicKey).Encoded.ToArray());
    }

    [Fact]
    public async Task REG_03_resp_type_fails_when_type_is_not_public_key()
    {
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync();
        string edited = Edit(response, o => o["type"] = "password");
        Assert.Equal(PasskeyError.WrongResponseType, ErrorOf(() => s.RelyingParty.FinishRegistration(edited, state)));
    }

    [Fact]
    public async Task REG_03_resp_type_fails_when_an_assertion_is_sent_instead()
    {
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync();
        string edited = Edit(response, o => ((JsonObject)o["response"]!).Remove("attestationObject"));
        Assert.Equal(PasskeyError.WrongResponseType, ErrorOf(() => s.RelyingParty.FinishRegistration(edited, state)));
    }

    [Fact]
    public async Task REG_05_utf8_fails_when_client_data_is_not_utf8()
    {
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync();
        byte[] clientData = ClientDataOf(response);
        clientData[^3] = 0xFF;
        Assert.Equal(PasskeyError.MalformedClientData, ErrorOf(() => s.RelyingParty.FinishRegistration(WithClientData(response, clientData), state)));
    }

    [Fact]
    public async Task REG_05_utf8_drops_a_leading_byte_order_mark()
    {
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync();
        byte[] withBom = [0xEF, 0xBB, 0xBF, .. ClientDataOf(response)];
        s.RelyingParty.FinishRegistration(WithClientData(response, withBom), state);
    }

    [Fact]
    public async Task REG_06_json_fails_when_client_data_is_not_json()
    {
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync();
        Assert.Equal(PasskeyError.MalformedClientData, ErrorOf(() => s.RelyingParty.FinishRegistration(WithClientData(response, "{\"type\":"u8.ToArray()), state)));
    }

    [Fact]
    public async Task REG_06_json_fails_when_a_member_appears_twice()
    {
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync();
        string text = System.Text.Encoding.UTF8.GetString(ClientDataOf(response));
        byte[] twice = System.Text.Encoding.UTF8.GetBytes(text.Replace("{", "{\"type\":\"webauthn.get\",", StringComparison.Ordinal));
        Assert.Equal(PasskeyError.MalformedClientData, ErrorOf(() => s.RelyingParty.FinishRegistration(WithClientData(response, twice), state)));
    }

    [Fact]
    public async Task REG_07_type_fails_when_type_is_webauthn_get()
    {
        using var s = new Scenario();
        s.Client.Options.Faults = ClientFaults.WrongType;
        var (response, state) = await s.CreateAsync();
        Assert.Equal(PasskeyError.WrongClientDataType, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Fact]
    public async Task REG_08_challenge_fails_when_challenge_differs()
    {
        using var s = new Scenario();
        s.Client.Options.Faults = ClientFaults.AlteredChallenge;
        var (response, state) = await s.CreateAsync();
        Assert.Equal(PasskeyError.ChallengeMismatch, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Fact]
    public async Task REG_09_origin_fails_when_origin_is_foreign()
    {
        using var s = new Scenario();
        s.Client.Options.Faults = ClientFaults.WrongOrigin;
        var (response, state) = await s.CreateAsync();
        Assert.Equal(PasskeyError.OriginNotAllowed, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Theory]
    [InlineData("https://example.com:8443")]
    [InlineData("https://login.example.com")]
    public async Task REG_09_origin_compares_host_and_port(string origin)
    {
        using var s = new Scenario(origin: origin);
        var (response, state) = await s.CreateAsync();
        Assert.Equal(PasskeyError.OriginNotAllowed, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Fact]
    public async Task REG_09_origin_compares_the_scheme()
    {
        // A browser won't run WebAuthn on http://example.com, so the client data is edited (a "none"
        // registration signs nothing over it): the relying party must still refuse the scheme.
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync();
        string text = System.Text.Encoding.UTF8.GetString(ClientDataOf(response)).Replace("https://example.com", "http://example.com", StringComparison.Ordinal);
        Assert.Equal(PasskeyError.OriginNotAllowed, ErrorOf(() => s.RelyingParty.FinishRegistration(WithClientData(response, System.Text.Encoding.UTF8.GetBytes(text)), state)));
    }

    [Fact]
    public async Task REG_10_crossorigin_fails_when_embedded_without_permission()
    {
        using var s = new Scenario(topOrigin: "https://news.example.org");
        var (response, state) = await s.CreateAsync();
        Assert.Equal(PasskeyError.CrossOriginNotAllowed, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Fact]
    public async Task REG_11_1_toporigin_expected_fails_when_top_origin_is_present_without_permission()
    {
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync();
        string text = System.Text.Encoding.UTF8.GetString(ClientDataOf(response));
        byte[] withTop = System.Text.Encoding.UTF8.GetBytes(text.TrimEnd('}') + ",\"topOrigin\":\"https://news.example.org\"}");
        Assert.Equal(PasskeyError.TopOriginNotAllowed, ErrorOf(() => s.RelyingParty.FinishRegistration(WithClientData(response, withTop), state)));
    }

    [Fact]
    public async Task REG_11_2_toporigin_value_fails_when_top_origin_is_not_allowed()
    {
        using var s = new Scenario(topOrigin: "https://news.example.org");
        s.Options.AllowCrossOrigin = true;
        s.Options.AllowedTopOrigins = ["https://partner.example.net"];
        var (response, state) = await s.CreateAsync();
        Assert.Equal(PasskeyError.TopOriginNotAllowed, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
        s.Options.AllowedTopOrigins = ["https://news.example.org"];
        s.RelyingParty.FinishRegistration(response, state);
    }

    [Fact]
    public async Task REG_13_cbor_fails_when_the_attestation_object_is_malformed()
    {
        using var s = new Scenario();
        s.Authenticator.Options.Faults = AuthenticatorFaults.MalformedCbor;
        var (response, state) = await s.CreateAsync();
        Assert.Equal(PasskeyError.MalformedCbor, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Fact]
    public async Task REG_13_cbor_fails_when_authenticator_data_has_trailing_bytes()
    {
        using var s = new Scenario();
        s.Authenticator.Options.Faults = AuthenticatorFaults.TrailingBytes;
        var (response, state) = await s.CreateAsync();
        Assert.Equal(PasskeyError.MalformedAuthenticatorData, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Fact]
    public async Task REG_14_rpidhash_fails_when_rp_id_hash_differs()
    {
        using var s = new Scenario();
        s.Authenticator.Options.Faults = AuthenticatorFaults.WrongRpIdHash;
        var (response, state) = await s.CreateAsync();
        Assert.Equal(PasskeyError.RpIdHashMismatch, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Fact]
    public async Task REG_15_up_fails_when_user_presence_flag_is_clear()
    {
        using var s = new Scenario();
        s.Authenticator.Options.Faults = AuthenticatorFaults.UserPresenceFlagCleared;
        var (response, state) = await s.CreateAsync();
        Assert.Equal(PasskeyError.UserPresenceMissing, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Fact]
    public async Task REG_15_up_is_waived_only_for_a_conditional_create_the_server_issued()
    {
        using var s = new Scenario();
        s.Authenticator.Options.Faults = AuthenticatorFaults.UserPresenceFlagCleared;
        var (response, state) = await s.CreateAsync(new RegistrationRequest { User = new UserIdentity(UserId, "alice", "Alice"), ConditionalCreate = true });
        Assert.False(s.RelyingParty.FinishRegistration(response, state).AuthenticatorData.UserPresent);
    }

    [Fact]
    public async Task REG_16_uv_fails_when_verification_was_required_and_not_done()
    {
        using var s = new Scenario();
        // The browser was told "discouraged", so the authenticator skips UV; the server's own state requires it.
        var (response, state) = await s.CreateAsync(new RegistrationRequest { User = new UserIdentity(UserId, "alice", "Alice"), UserVerification = UserVerificationRequirement.Discouraged });
        var required = state with { UserVerification = UserVerificationRequirement.Required };
        Assert.Equal(PasskeyError.UserVerificationMissing, ErrorOf(() => s.RelyingParty.FinishRegistration(response, required)));
        // The requirement survives serialization of the state.
        Assert.Equal(PasskeyError.UserVerificationMissing, ErrorOf(() => s.RelyingParty.FinishRegistration(response, RegistrationState.Deserialize(required.Serialize()))));
    }

    [Fact]
    public async Task REG_17_be_bs_fails_when_backed_up_but_not_eligible()
    {
        using var s = new Scenario(new SoftwareAuthenticatorOptions { Seed = 7, BackupEligible = false, BackupState = true });
        var (response, state) = await s.CreateAsync();
        Assert.Equal(PasskeyError.BackupStateWithoutEligibility, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Fact]
    public async Task REG_20_alg_fails_when_the_key_uses_an_algorithm_not_offered()
    {
        using var s = new Scenario();
        s.Options.Algorithms = [CoseAlgorithm.ES256];
        // The options the browser saw were altered to allow only EdDSA; the server offered ES256.
        var (response, state) = await s.CreateAsync(editOptions: o =>
        {
            o["pubKeyCredParams"] = new JsonArray(new JsonObject { ["type"] = "public-key", ["alg"] = -8 });
            return o;
        });
        Assert.Equal(PasskeyError.AlgorithmNotAllowed, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Fact]
    public async Task REG_21_fmt_fails_when_the_format_is_unknown_or_differs_in_case()
    {
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync();
        Assert.Equal(PasskeyError.UnsupportedAttestationFormat, ErrorOf(() => s.RelyingParty.FinishRegistration(WithFormat(response, "not_real_fmt"), state)));
        Assert.Equal(PasskeyError.UnsupportedAttestationFormat, ErrorOf(() => s.RelyingParty.FinishRegistration(WithFormat(response, "None"), state)));
    }

    [Theory]
    [InlineData(AttestationKind.PackedSelf)]
    [InlineData(AttestationKind.Packed)]
    [InlineData(AttestationKind.FidoU2f)]
    public async Task REG_22_attstmt_fails_when_the_attestation_signature_is_over_other_bytes(AttestationKind kind)
    {
        using var s = new Scenario(new SoftwareAuthenticatorOptions { Seed = 7, Attestation = kind });
        s.Authenticator.Options.Faults = AuthenticatorFaults.SignatureOverWrongBytes;
        var (response, state) = await s.CreateAsync(new RegistrationRequest { User = new UserIdentity(UserId, "alice", "Alice"), Attestation = AttestationConveyancePreference.Direct });
        Assert.Equal(PasskeyError.AttestationSignatureInvalid, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Fact]
    public async Task REG_22_attstmt_fails_when_none_carries_a_statement()
    {
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync();
        string edited = EditAttestationObject(response, map => Replace(map, "attStmt", new CborMap([new(new CborTextString("sig"), new CborByteString(new byte[8]))])));
        Assert.Equal(PasskeyError.MalformedAttestationStatement, ErrorOf(() => s.RelyingParty.FinishRegistration(edited, state)));
    }

    [Fact]
    public async Task REG_24_trust_accepts_a_chain_to_a_configured_anchor()
    {
        using var s = new Scenario(new SoftwareAuthenticatorOptions { Seed = 7, Attestation = AttestationKind.Packed });
        s.Options.TrustAnchors = [X509Certificate2.CreateFromPem(s.Authenticator.RootCertificatePem)];
        var (response, state) = await s.CreateAsync(Direct());
        var result = s.RelyingParty.FinishRegistration(response, state);
        Assert.Equal(AttestationTrustStatus.Trusted, result.Trust.Status);
        Assert.True(result.Credential.AttestationTrusted);
    }

    [Fact]
    public async Task REG_24_trust_fails_when_the_chain_reaches_no_configured_anchor()
    {
        using var s = new Scenario(new SoftwareAuthenticatorOptions { Seed = 7, Attestation = AttestationKind.Packed });
        using var other = new SoftwareAuthenticator(new SoftwareAuthenticatorOptions { Seed = 99, Attestation = AttestationKind.Packed });
        s.Options.TrustAnchors = [X509Certificate2.CreateFromPem(other.RootCertificatePem)];
        var (response, state) = await s.CreateAsync(Direct());
        Assert.Equal(PasskeyError.AttestationNotTrusted, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Fact]
    public async Task REG_24_trust_never_trusts_a_self_signed_root_supplied_in_x5c()
    {
        using var s = new Scenario(new SoftwareAuthenticatorOptions { Seed = 7, Attestation = AttestationKind.Packed });
        using var other = new SoftwareAuthenticator(new SoftwareAuthenticatorOptions { Seed = 99, Attestation = AttestationKind.Packed });
        s.Options.TrustAnchors = [X509Certificate2.CreateFromPem(other.RootCertificatePem)];
        var (response, state) = await s.CreateAsync(Direct());
        // Append the authenticator's own self-signed root to x5c: it must not become a trust anchor.
        var root = X509Certificate2.CreateFromPem(s.Authenticator.RootCertificatePem);
        string withRoot = EditAttestationObject(response, map =>
        {
            var statement = (CborMap)map["attStmt"]!;
            var x5c = (CborArray)statement["x5c"]!;
            return Replace(map, "attStmt", Replace(statement, "x5c", new CborArray([.. x5c.Items, new CborByteString(root.RawData)])));
        });
        Assert.Equal(PasskeyError.AttestationNotTrusted, ErrorOf(() => s.RelyingParty.FinishRegistration(withRoot, state)));
    }

    [Fact]
    public async Task REG_24_trust_reports_not_trusted_when_no_anchors_are_configured_and_refuses_when_required()
    {
        using var s = new Scenario(new SoftwareAuthenticatorOptions { Seed = 7, Attestation = AttestationKind.Packed });
        var (response, state) = await s.CreateAsync(Direct());
        var result = s.RelyingParty.FinishRegistration(response, state);
        Assert.Equal(AttestationTrustStatus.NoAnchors, result.Trust.Status);
        Assert.False(result.Credential.AttestationTrusted);

        using var other = new SoftwareAuthenticator(new SoftwareAuthenticatorOptions { Seed = 99 });
        s.Options.RequireTrustedAttestation = true;
        s.Options.TrustAnchorProvider = new NoAnchors();
        Assert.Equal(PasskeyError.AttestationRequired, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Fact]
    public async Task REG_24_trust_runs_authenticator_policies_after_trust()
    {
        using var s = new Scenario();
        s.Options.AuthenticatorPolicies = [new RefuseAaguid(SoftwareAuthenticatorOptions.DefaultAaguid)];
        var (response, state) = await s.CreateAsync();
        Assert.Equal(PasskeyError.AuthenticatorNotAllowed, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Fact]
    public async Task REG_25_credid_len_fails_when_the_credential_id_exceeds_1023_bytes()
    {
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync();
        byte[] longId = new byte[1024];
        string edited = EditAttestationObject(response, map =>
        {
            var authData = AuthenticatorData.Parse(((CborByteString)map["authData"]!).Value);
            return Replace(map, "authData", new CborByteString(RebuildWithCredentialId(authData, longId)));
        });
        edited = Edit(edited, o => { o["id"] = Base64UrlStrict.Encode(longId); o["rawId"] = Base64UrlStrict.Encode(longId); });
        Assert.Equal(PasskeyError.CredentialIdTooLong, ErrorOf(() => s.RelyingParty.FinishRegistration(edited, state)));
    }

    [Fact]
    public async Task REG_26_credid_unique_fails_when_the_id_is_already_registered()
    {
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync();
        Assert.Equal(PasskeyError.CredentialAlreadyRegistered, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state, _ => true)));
    }

    [Fact]
    public async Task REG_28_ext_process_rejects_unrequested_outputs_only_when_policy_says_so()
    {
        using var s = new Scenario();
        s.Authenticator.Options.Faults = AuthenticatorFaults.UnrequestedExtensionOutputs;
        var (response, state) = await s.CreateAsync();
        s.RelyingParty.FinishRegistration(response, state);
        s.Options.UnrequestedExtensions = UnrequestedExtensionPolicy.Reject;
        Assert.Equal(PasskeyError.UnexpectedExtensionOutput, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Fact]
    public async Task REG_28_ext_process_rejects_a_malformed_cred_props_output()
    {
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync();
        string edited = Edit(response, o => o["clientExtensionResults"] = new JsonObject { ["credProps"] = new JsonObject { ["rk"] = "yes" } });
        Assert.Equal(PasskeyError.InvalidExtensionOutput, ErrorOf(() => s.RelyingParty.FinishRegistration(edited, state)));
    }

    [Fact]
    public async Task Fails_when_the_ceremony_has_expired()
    {
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync();
        s.Clock.Now += s.Options.Timeout + TimeSpan.FromSeconds(1);
        Assert.Equal(PasskeyError.CeremonyExpired, ErrorOf(() => s.RelyingParty.FinishRegistration(response, state)));
    }

    [Fact]
    public async Task Fails_when_raw_id_differs_from_the_attested_credential_id()
    {
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync();
        string other = Edit(response, o => { o["id"] = "AAAAAAAAAAAAAAAAAAAAAA"; o["rawId"] = "AAAAAAAAAAAAAAAAAAAAAA"; });
        Assert.Equal(PasskeyError.CredentialIdMismatch, ErrorOf(() => s.RelyingParty.FinishRegistration(other, state)));
        string differing = Edit(response, o => o["id"] = "AAAAAAAAAAAAAAAAAAAAAA");
        Assert.Equal(PasskeyError.CredentialIdMismatch, ErrorOf(() => s.RelyingParty.FinishRegistration(differing, state)));
    }

    // --- helpers -------------------------------------------------------------------------------

    private static RegistrationRequest Direct() =>
        new() { User = new UserIdentity(UserId, "alice", "Alice"), Attestation = AttestationConveyancePreference.Direct };

    private static string WithFormat(string response, string format) =>
        EditAttestationObject(response, map => Replace(map, "fmt", new CborTextString(format)));

    private static string EditAttestationObject(string response, Func<CborMap, CborMap> edit)
    {
        var node = JsonNode.Parse(response)!;
        byte[] bytes = Base64UrlStrict.Decode(node["response"]!["attestationObject"]!.GetValue<string>(), "attestationObject");
        var map = (CborMap)CborDecoder.Decode(bytes, CborConformance.Lax, "attestationObject");
        node["response"]!["attestationObject"] = Base64UrlStrict.Encode(CborWriter.Encode(edit(map)));
        return node.ToJsonString();
    }

    private static CborMap Replace(CborMap map, string key, CborValue value) =>
        new([.. map.Entries.Select(e => e.Key is CborTextString t && t.Value == key ? new KeyValuePair<CborValue, CborValue>(e.Key, value) : e)]);

    private static byte[] RebuildWithCredentialId(AuthenticatorData authData, byte[] id)
    {
        var credential = authData.AttestedCredentialData!;
        byte[] key = credential.CredentialPublicKey.Encoded.ToArray();
        return [.. authData.Raw.Span[..37], .. credential.AaguidBytes.Span, (byte)(id.Length >> 8), (byte)id.Length, .. id, .. key];
    }

    private sealed class NoAnchors : ITrustAnchorProvider
    {
        public IReadOnlyList<X509Certificate2> GetTrustAnchors(AuthenticatorData authenticatorData, AttestationStatementResult statement) => [];
    }

    private sealed class RefuseAaguid(Guid aaguid) : IAuthenticatorPolicy
    {
        public void Check(AuthenticatorPolicyContext context)
        {
            if (context.Aaguid == aaguid)
            {
                throw new PasskeyException(PasskeyError.AuthenticatorNotAllowed, $"AAGUID {aaguid} is refused");
            }
        }
    }
}
