using Passkeys.Authenticator;
using Passkeys.Ceremonies;
using Passkeys.Cose;
using Passkeys.Encoding;
using Passkeys.Tests.Cose;
using static Passkeys.Tests.Ceremonies.Scenario;

namespace Passkeys.Tests.Ceremonies;

/// <summary>
/// AUTH-21-sig and ATT-PACKED-03b-sig: a signature that cannot be one of the key's algorithm (an
/// EdDSA S ≥ L, an EdDSA or ML-DSA signature of the wrong length) is refused with its own code
/// before any backend verifies it.
/// </summary>
public class SignatureEncodingTests
{
    [Fact]
    public async Task AUTH_21_sig_fails_when_an_eddsa_signature_has_s_not_below_l()
    {
        using var s = Create(SupportedAlgorithms.EdDSA);
        var record = (await s.RegisterAsync()).Credential;
        var (response, state) = await s.GetAsync();
        string malleated = EditSignature(response, signature => EdDsaKeyValidationTests.WithSPlusL(CoseCurve.Ed25519, signature));
        Assert.Equal(PasskeyError.SignatureNotCanonical, ErrorOf(() => s.RelyingParty.FinishAuthentication(malleated, state, record)));
        // The untouched assertion signs in: the refusal is the S + L alone.
        Assert.Equal(record.Id, s.RelyingParty.FinishAuthentication(response, state, record).CredentialId);
    }

    [Theory]
    [InlineData(SupportedAlgorithms.EdDSA)]
    [InlineData(SupportedAlgorithms.MLDsa44)]
    [InlineData(SupportedAlgorithms.MLDsa65)]
    [InlineData(SupportedAlgorithms.MLDsa87)]
    public async Task AUTH_21_sig_fails_when_the_signature_length_does_not_fit_the_algorithm(int alg)
    {
        using var s = Create(alg);
        var record = (await s.RegisterAsync()).Credential;
        foreach (int delta in new[] { -1, 1 })
        {
            var (response, state) = await s.GetAsync();
            string resized = EditSignature(response, signature => delta < 0 ? signature[..^1] : [.. signature, 0]);
            Assert.Equal(PasskeyError.SignatureLengthInvalid, ErrorOf(() => s.RelyingParty.FinishAuthentication(resized, state, record)));
        }
    }

    [Theory]
    [InlineData(SupportedAlgorithms.MLDsa44)]
    [InlineData(SupportedAlgorithms.MLDsa65)]
    [InlineData(SupportedAlgorithms.MLDsa87)]
    public async Task MLDsa_passkey_registers_with_packed_self_attestation_and_signs_in(int alg)
    {
        using var s = Create(alg);
        var registered = await s.RegisterAsync();
        Assert.Equal((CoseAlgorithm)alg, registered.Credential.Algorithm);
        Assert.Equal("packed", registered.Attestation.Format);
        Assert.Equal(registered.Credential.Id, (await s.SignInAsync(registered.Credential)).CredentialId);
    }

    [Theory]
    [InlineData(SupportedAlgorithms.EdDSA)]
    [InlineData(SupportedAlgorithms.MLDsa44)]
    public async Task ATT_PACKED_03b_sig_fails_when_the_signature_length_does_not_fit_the_algorithm(int alg)
    {
        using var s = Create(alg);
        var (response, state) = await s.CreateAsync();
        string truncated = EditAttestationSignature(response, signature => signature[..^1]);
        Assert.Equal(PasskeyError.SignatureLengthInvalid, ErrorOf(() => s.RelyingParty.FinishRegistration(truncated, state)));
    }

    [Fact]
    public async Task ATT_PACKED_03b_sig_fails_when_an_eddsa_self_signature_has_s_not_below_l()
    {
        using var s = Create(SupportedAlgorithms.EdDSA);
        var (response, state) = await s.CreateAsync();
        string malleated = EditAttestationSignature(response, signature => EdDsaKeyValidationTests.WithSPlusL(CoseCurve.Ed25519, signature));
        Assert.Equal(PasskeyError.SignatureNotCanonical, ErrorOf(() => s.RelyingParty.FinishRegistration(malleated, state)));
        Assert.Equal(CoseAlgorithm.EdDSA, s.RelyingParty.FinishRegistration(response, state).Credential.Algorithm);
    }

    private static string EditAttestationSignature(string response, Func<byte[], byte[]> edit) => Edit(response, json =>
    {
        var inner = json["response"]!.AsObject();
        byte[] bytes = Base64UrlStrict.Decode(inner["attestationObject"]!.GetValue<string>(), "attestationObject");
        var attestation = (CborMap)CborDecoder.Decode(bytes, CborConformance.Lax, "attestationObject");
        var statement = (CborMap)attestation["attStmt"]!;
        byte[] signature = ((CborByteString)statement["sig"]!).Value.ToArray();
        var editedStatement = new CborMap([.. statement.Entries.Select(e =>
            e.Key is CborTextString { Value: "sig" } ? new KeyValuePair<CborValue, CborValue>(e.Key, new CborByteString(edit(signature))) : e)]);
        var edited = new CborMap([.. attestation.Entries.Select(e =>
            e.Key is CborTextString { Value: "attStmt" } ? new KeyValuePair<CborValue, CborValue>(e.Key, editedStatement) : e)]);
        inner["attestationObject"] = Base64UrlStrict.Encode(CborWriter.Encode(edited));
    });

    private static Scenario Create(int alg)
    {
        var s = new Scenario(new SoftwareAuthenticatorOptions { Seed = 7, Algorithms = [alg], Attestation = AttestationKind.PackedSelf });
        s.Options.Algorithms = [(CoseAlgorithm)alg];
        return s;
    }

    private static string EditSignature(string response, Func<byte[], byte[]> edit) => Edit(response, json =>
    {
        var inner = json["response"]!.AsObject();
        byte[] signature = Base64UrlStrict.Decode(inner["signature"]!.GetValue<string>(), "signature");
        inner["signature"] = Base64UrlStrict.Encode(edit(signature));
    });
}
