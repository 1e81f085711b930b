using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Passkeys.Ceremonies;
using Passkeys.Cli.Authenticator;
using Passkeys.Encoding;
using Passkeys.Protocol;

namespace Passkeys.Cli.Tests.Authenticator;

/// <summary>
/// `authenticator create --attestation packed --attestation-alg ML-DSA-44|65|87`: full packed
/// attestation whose statement is ML-DSA, trusted by the library's RelyingParty through the root
/// `export-root` prints; the option is refused for formats without a packed attestation key.
/// </summary>
public sealed class MLDsaAttestationTests : IDisposable
{
    private const string Origin = "https://login.example.com";
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Theory]
    [InlineData("packed", "ML-DSA-44", "ES256", -48)]
    [InlineData("packed", "ML-DSA-65", "EdDSA", -49)]
    [InlineData("packed", "ML-DSA-87", "ML-DSA-44", -50)]
    [InlineData("compound", "ML-DSA-44", "ES256", -48)]
    public void Create_signs_the_packed_statement_with_ML_DSA_and_the_exported_root_trusts_it(string attestation, string attestationAlg, string alg, int expectedStatementAlg)
    {
        var rp = NewRelyingParty(ExportRoot(attestation));
        var registration = CreateGetTests.BeginRegistration(rp);
        var output = new StringWriter();
        var error = new StringWriter();

        int exit = AuthenticatorCommand.RunCreate(new AuthenticatorSettings(_store.Path), registration.OptionsJson, Origin, attestation, alg, output, error,
            attestationAlg: attestationAlg);

        Assert.True(exit == 0, error.ToString());
        var passkey = rp.FinishRegistration(output.ToString(), registration.State);
        Assert.True(passkey.Trust.IsTrusted, passkey.Trust.Detail);
        Assert.Equal(expectedStatementAlg, PackedStatementAlg(output.ToString()));
        var authentication = rp.BeginAuthentication(new AuthenticationRequest());
        var get = new StringWriter();
        Assert.Equal(0, AuthenticatorCommand.RunGet(new AuthenticatorSettings(_store.Path), authentication.OptionsJson, Origin, get, new StringWriter()));
        Assert.Equal(passkey.Credential.Id, rp.FinishAuthentication(get.ToString(), authentication.State, passkey.Credential).CredentialId);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("packed-self")]
    [InlineData("tpm")]
    public void An_attestation_algorithm_for_a_format_without_a_packed_attestation_key_is_a_usage_error(string attestation)
    {
        var error = new StringWriter();
        int exit = AuthenticatorCommand.Guard(error, () => AuthenticatorCommand.RunCreate(
            new AuthenticatorSettings(_store.Path), "{}", Origin, attestation, null, new StringWriter(), new StringWriter(), attestationAlg: "ML-DSA-44"));

        Assert.Equal(2, exit);
        Assert.Contains("--attestation-alg chooses the key of packed attestation", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_store.Path));
    }

    [Fact]
    public void Compound_without_packed_refuses_an_attestation_algorithm()
    {
        var error = new StringWriter();
        int exit = AuthenticatorCommand.Guard(error, () => AuthenticatorCommand.RunCreate(
            new AuthenticatorSettings(_store.Path), "{}", Origin, "compound", null, new StringWriter(), new StringWriter(), compoundOf: ["tpm", "apple"], attestationAlg: "ML-DSA-65"));

        Assert.Equal(2, exit);
        Assert.Contains("'compound'", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("create", "--options", "o.json", "--origin", Origin, "--attestation", "packed", "--attestation-alg", "ML-DSA-99")]
    [InlineData("create", "--options", "o.json", "--origin", Origin, "--attestation", "packed", "--attestation-alg", "RS256")]
    [InlineData("register", "--server", "http://127.0.0.1:9", "--username", "a", "--attestation", "packed", "--attestation-alg", "EdDSA")]
    // Parsed, then refused before any file or server is touched.
    [InlineData("register", "--server", "http://127.0.0.1:9", "--username", "a", "--attestation", "none", "--attestation-alg", "ML-DSA-44")]
    public void A_bad_attestation_algorithm_exits_2(params string[] args)
    {
        var error = new StringWriter();
        int exit = PasskeysCli.Run(PasskeysCli.CreateRoot(), ["authenticator", "--store", _store.Path, .. args], new StringWriter(), error);

        Assert.Equal(2, exit);
    }

    private static int PackedStatementAlg(string registrationJson)
    {
        using var json = JsonDocument.Parse(registrationJson);
        byte[] raw = Base64UrlStrict.Decode(json.RootElement.GetProperty("response").GetProperty("attestationObject").GetString()!, "attestationObject");
        var attestationObject = (CborMap)CborDecoder.Decode(raw, CborConformance.Ctap2Canonical, "attestationObject");
        var statement = attestationObject["attStmt"]!;
        // compound: [{fmt, attStmt}, …]; the packed part is the one with fmt "packed".
        var packed = statement is CborArray parts
            ? (CborMap)((CborMap)parts.Items.Single(p => ((CborMap)p)["fmt"] is CborTextString { Value: "packed" }))["attStmt"]!
            : (CborMap)statement;
        return (int)((CborInteger)packed["alg"]!).Value;
    }

    private static string ExportRoot(string attestation)
    {
        var output = new StringWriter();
        Assert.Equal(0, AuthenticatorCommand.RunExportRoot(output, attestation, null));
        return output.ToString();
    }

    private static RelyingParty NewRelyingParty(string rootPem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(rootPem);
        return new RelyingParty(new RelyingPartyOptions
        {
            RpId = "login.example.com",
            RpName = "Example",
            Origins = [Origin],
            Attestation = AttestationConveyancePreference.Direct,
            TrustAnchors = [.. collection],
            RequireTrustedAttestation = true,
        });
    }
}
