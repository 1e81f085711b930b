using System.Security.Cryptography.X509Certificates;
using Passkeys.Authenticator;
using Passkeys.Ceremonies;
using Passkeys.Cli.Authenticator;
using Passkeys.Protocol;

namespace Passkeys.Cli.Tests.Authenticator;

/// <summary>
/// `authenticator create|get --fault NAME` (repeatable) reproduces a refused response, and
/// `create --attestation android-key|android-safetynet|apple|compound` with `export-root
/// --attestation` gives a response the library's RelyingParty trusts through that root.
/// </summary>
public sealed class FaultAndFormatTests : IDisposable
{
    private const string Origin = "https://login.example.com";
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    private static RelyingParty NewRelyingParty(string rootPem)
    {
        var anchors = new List<X509Certificate2>();
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(rootPem);
        anchors.AddRange(collection);
        return new RelyingParty(new RelyingPartyOptions
        {
            RpId = "login.example.com",
            RpName = "Example",
            Origins = [Origin],
            Attestation = AttestationConveyancePreference.Direct,
            TrustAnchors = anchors,
            RequireTrustedAttestation = true,
        });
    }

    private static string ExportRoot(string attestation, params string[] compoundOf)
    {
        var output = new StringWriter();
        Assert.Equal(0, AuthenticatorCommand.RunExportRoot(output, attestation, compoundOf));
        return output.ToString();
    }

    private (int Exit, string Output, string Error) Create(RegistrationCeremony registration, string attestation, string? alg = null,
        string[]? faults = null, string[]? compoundOf = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = AuthenticatorCommand.RunCreate(new AuthenticatorSettings(_store.Path), registration.OptionsJson, Origin, attestation, alg, output, error, faults, compoundOf);
        return (exit, output.ToString(), error.ToString());
    }

    private string Get(AuthenticationCeremony authentication, params string[] faults)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(AuthenticatorCommand.RunGet(new AuthenticatorSettings(_store.Path), authentication.OptionsJson, Origin, output, error, faults) == 0, error.ToString());
        return output.ToString();
    }

    [Theory]
    [InlineData("android-key", "ES256")]
    [InlineData("android-key", "RS256")]
    [InlineData("android-safetynet", "ES256")]
    [InlineData("apple", "ES384")]
    [InlineData("compound", "ES256")]
    public void New_formats_create_trusted_through_their_exported_root_then_get(string attestation, string alg)
    {
        var rp = NewRelyingParty(ExportRoot(attestation));
        var registration = CreateGetTests.BeginRegistration(rp);
        var created = Create(registration, attestation, alg);
        Assert.True(created.Exit == 0, created.Error);
        var passkey = rp.FinishRegistration(created.Output, registration.State);
        Assert.Equal(attestation, passkey.Attestation.Format);
        Assert.True(passkey.Trust.IsTrusted, passkey.Trust.Detail);

        var authentication = rp.BeginAuthentication(new AuthenticationRequest());
        Assert.Equal(passkey.Credential.Id, rp.FinishAuthentication(Get(authentication), authentication.State, passkey.Credential).CredentialId);
    }

    [Fact]
    public void Compound_of_names_its_parts_and_export_root_prints_each_distinct_root()
    {
        string roots = ExportRoot("compound", "apple", "android-key", "packed");
        Assert.Equal(3, roots.Split("-----BEGIN CERTIFICATE-----").Length - 1);
        var rp = NewRelyingParty(roots);
        var registration = CreateGetTests.BeginRegistration(rp);
        var created = Create(registration, "compound", compoundOf: ["apple", "android-key", "packed"]);
        Assert.True(created.Exit == 0, created.Error);
        var passkey = rp.FinishRegistration(created.Output, registration.State);
        Assert.Equal(["apple", "android-key", "packed"], passkey.Attestation.Components.Select(c => c.Format));
        Assert.True(passkey.Trust.IsTrusted, passkey.Trust.Detail);

        // Another vendor's root does not vouch for apple's.
        Assert.NotEqual(ExportRoot("apple"), ExportRoot("android-key"));
    }

    [Theory]
    [InlineData("packed", "wrong-rp-id-hash", PasskeyError.RpIdHashMismatch)]
    [InlineData("packed", "signature-over-wrong-bytes", PasskeyError.AttestationSignatureInvalid)]
    [InlineData("tpm", "tpm-wrong-magic", PasskeyError.AttestationDataMismatch)]
    [InlineData("android-key", "android-key-wrong-challenge", PasskeyError.AttestationDataMismatch)]
    [InlineData("android-safetynet", "safetynet-wrong-nonce", PasskeyError.AttestationDataMismatch)]
    [InlineData("android-safetynet", "safetynet-stale-timestamp", PasskeyError.AttestationDataMismatch)]
    [InlineData("android-safetynet", "safetynet-cts-profile-mismatch", PasskeyError.AttestationDataMismatch)]
    [InlineData("apple", "apple-wrong-nonce", PasskeyError.AttestationDataMismatch)]
    [InlineData("compound", "compound-missing-sub-statement", PasskeyError.MalformedAttestationStatement)]
    public void Create_with_a_fault_gives_a_response_the_relying_party_refuses(string attestation, string fault, PasskeyError expected)
    {
        var rp = NewRelyingParty(ExportRoot(attestation));
        var registration = CreateGetTests.BeginRegistration(rp);
        var created = Create(registration, attestation, "ES256", [fault]);
        Assert.True(created.Exit == 0, created.Error);
        var error = Assert.Throws<PasskeyException>(() => rp.FinishRegistration(created.Output, registration.State));
        Assert.Equal(expected, error.Error);
    }

    [Fact]
    public void Get_with_faults_gives_assertions_the_relying_party_refuses()
    {
        var rp = NewRelyingParty(ExportRoot("packed"));
        var registration = CreateGetTests.BeginRegistration(rp);
        var passkey = rp.FinishRegistration(Create(registration, "packed").Output, registration.State);

        var rolledBack = rp.BeginAuthentication(new AuthenticationRequest());
        Assert.Equal(PasskeyError.SignCountRegression,
            Assert.Throws<PasskeyException>(() => rp.FinishAuthentication(Get(rolledBack, "counter-rollback"), rolledBack.State, passkey.Credential)).Error);

        var wrongBytes = rp.BeginAuthentication(new AuthenticationRequest());
        Assert.Equal(PasskeyError.SignatureInvalid,
            Assert.Throws<PasskeyException>(() => rp.FinishAuthentication(Get(wrongBytes, "signature-over-wrong-bytes"), wrongBytes.State, passkey.Credential)).Error);
    }

    [Fact]
    public void Repeated_faults_all_apply()
    {
        var rp = NewRelyingParty(ExportRoot("packed"));
        var registration = CreateGetTests.BeginRegistration(rp);
        var created = Create(registration, "packed", faults: ["trailing-bytes", "wrong-rp-id-hash"]);
        Assert.True(created.Exit == 0, created.Error);
        var authData = System.Text.Json.JsonDocument.Parse(created.Output).RootElement.GetProperty("response").GetProperty("authenticatorData").GetString()!;
        byte[] bytes = Passkeys.Encoding.Base64UrlStrict.Decode(authData, "authenticatorData");
        Assert.NotEqual(System.Security.Cryptography.SHA256.HashData("login.example.com"u8), bytes[..32]);   // wrong-rp-id-hash
        Assert.Equal(0, bytes[^1]);                                                                           // trailing-bytes
        Assert.Throws<PasskeyException>(() => rp.FinishRegistration(created.Output, registration.State));
    }

    [Fact]
    public void Every_fault_switch_has_a_name_and_every_name_one_switch()
    {
        var named = AuthenticatorChoices.Faults.Values.Aggregate(AuthenticatorFaults.None, (all, f) => all | f);
        var every = Enum.GetValues<AuthenticatorFaults>().Aggregate(AuthenticatorFaults.None, (all, f) => all | f);
        Assert.Equal(every, named);
        Assert.Equal(Enum.GetValues<AuthenticatorFaults>().Length - 1, AuthenticatorChoices.Faults.Count);
        Assert.Equal(AuthenticatorFaults.SafetyNetStaleTimestamp, AuthenticatorChoices.Faults["safetynet-stale-timestamp"]);
        Assert.Equal(AuthenticatorFaults.WrongRpIdHash, AuthenticatorChoices.Faults["wrong-rp-id-hash"]);
    }

    [Theory]
    [InlineData("create")]
    [InlineData("get")]
    public void Help_lists_every_fault(string command)
    {
        var output = new StringWriter();
        Assert.Equal(0, PasskeysCli.Run(PasskeysCli.CreateRoot(), ["authenticator", command, "--help"], output, new StringWriter()));
        foreach (string name in AuthenticatorChoices.Faults.Keys)
        {
            Assert.Contains(name, output.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("create")]
    [InlineData("get")]
    public void An_unknown_fault_is_a_usage_error_listing_the_valid_ones(string command)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = PasskeysCli.Run(PasskeysCli.CreateRoot(), ["authenticator", command, "--options", "o.json", "--origin", Origin, "--fault", "no-such-fault"], output, error);
        Assert.Equal(2, exit);
        Assert.Equal("", output.ToString());
        Assert.Contains("'no-such-fault'", error.ToString(), StringComparison.Ordinal);
        foreach (string name in AuthenticatorChoices.Faults.Keys)
        {
            Assert.Contains(name, error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Export_root_of_a_format_without_a_chain_or_a_compound_of_one_part_is_a_usage_error()
    {
        Assert.Equal(2, PasskeysCli.Run(PasskeysCli.CreateRoot(), ["authenticator", "export-root", "--attestation", "none"], new StringWriter(), new StringWriter()));
        var error = new StringWriter();
        Assert.Equal(2, AuthenticatorCommand.Guard(error, () => AuthenticatorCommand.RunExportRoot(new StringWriter(), "compound", ["packed"])));
        Assert.Contains("at least two", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("android-key", "Android Keystore")]
    [InlineData("android-safetynet", "Android Keystore")]
    [InlineData("apple", "EC (P-256/384/521) and RSA")]
    [InlineData("compound", "TPM 2.0")]
    public void A_vendor_format_with_EdDSA_says_why_no_key_was_made(string attestation, string reason)
    {
        var rp = NewRelyingParty(ExportRoot("packed"));
        var created = Create(CreateGetTests.BeginRegistration(rp), attestation, "EdDSA");
        Assert.Equal(1, created.Exit);
        Assert.StartsWith("NotSupportedError: ", created.Error, StringComparison.Ordinal);
        Assert.Contains(reason, created.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_store.Path));
    }
}
