using Passkeys.Attestation;

namespace Passkeys.Authenticator.Tests;

/// <summary>
/// Each fault switch of the android-key, android-safetynet, apple and compound formats makes the
/// library refuse the registration at the step the fault is about, while the same authenticator
/// without the fault registers (the matrix); the signature fault reaches each new format too.
/// </summary>
public class FormatFaultTests
{
    public static TheoryData<AttestationKind, AuthenticatorFaults, PasskeyError> Refusals() => new()
    {
        // §8.4 step: attestationChallenge = clientDataHash.
        { AttestationKind.AndroidKey, AuthenticatorFaults.AndroidKeyWrongChallenge, PasskeyError.AttestationDataMismatch },
        // §8.4: sig over authenticatorData ‖ clientDataHash with credCert's key.
        { AttestationKind.AndroidKey, AuthenticatorFaults.SignatureOverWrongBytes, PasskeyError.AttestationSignatureInvalid },
        // §8.5: nonce = Base64(SHA-256(authenticatorData ‖ clientDataHash)).
        { AttestationKind.AndroidSafetyNet, AuthenticatorFaults.SafetyNetWrongNonce, PasskeyError.AttestationDataMismatch },
        { AttestationKind.AndroidSafetyNet, AuthenticatorFaults.SignatureOverWrongBytes, PasskeyError.AttestationDataMismatch },
        // §8.5 (SafetyNet's documentation): timestampMs is recent; ctsProfileMatch is true.
        { AttestationKind.AndroidSafetyNet, AuthenticatorFaults.SafetyNetStaleTimestamp, PasskeyError.AttestationDataMismatch },
        { AttestationKind.AndroidSafetyNet, AuthenticatorFaults.SafetyNetCtsProfileMismatch, PasskeyError.AttestationDataMismatch },
        // §8.8: credCert's nonce extension = SHA-256(authenticatorData ‖ clientDataHash).
        { AttestationKind.Apple, AuthenticatorFaults.AppleWrongNonce, PasskeyError.AttestationDataMismatch },
        { AttestationKind.Apple, AuthenticatorFaults.SignatureOverWrongBytes, PasskeyError.AttestationDataMismatch },
        // §8.9: at least two sub-statements; each verified, any failure fails all.
        { AttestationKind.Compound, AuthenticatorFaults.CompoundMissingSubStatement, PasskeyError.MalformedAttestationStatement },
        { AttestationKind.Compound, AuthenticatorFaults.TpmWrongMagic, PasskeyError.AttestationDataMismatch },
        { AttestationKind.Compound, AuthenticatorFaults.SignatureOverWrongBytes, PasskeyError.AttestationSignatureInvalid },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task The_relying_party_refuses_the_faulty_statement(AttestationKind kind, AuthenticatorFaults fault, PasskeyError expected)
    {
        using var lab = new LibraryRelyingParty(new SoftwareAuthenticatorOptions { Seed = 5, Attestation = kind, Algorithms = [SupportedAlgorithms.ES256], Faults = fault });
        var rp = lab.Create(SupportedAlgorithms.ES256, lab.OwnRoots(), requireTrusted: true);
        var error = await Assert.ThrowsAsync<PasskeyException>(() => lab.RegisterAsync(rp));
        Assert.Equal(expected, error.Error);
    }

    [Fact]
    public async Task A_stale_SafetyNet_response_passes_only_when_the_relying_party_skips_the_freshness_check()
    {
        using var lab = new LibraryRelyingParty(new SoftwareAuthenticatorOptions
        {
            Seed = 5, Attestation = AttestationKind.AndroidSafetyNet, Algorithms = [SupportedAlgorithms.ES256], Faults = AuthenticatorFaults.SafetyNetStaleTimestamp,
        });
        var rp = lab.Create(SupportedAlgorithms.ES256, lab.OwnRoots(), requireTrusted: true);
        // The fault changes the timestamp alone: with the check off, everything else verifies.
        var options = new Passkeys.Ceremonies.RelyingPartyOptions
        {
            RpId = LibraryRelyingParty.RpId,
            RpName = "Example",
            Origins = [LibraryRelyingParty.Origin],
            Algorithms = [Passkeys.Cose.CoseAlgorithm.ES256],
            TrustAnchors = lab.OwnRoots(),
            RequireTrustedAttestation = true,
            AttestationVerification = new AttestationVerificationOptions { DangerouslySkipSafetyNetTimestampCheck = true },
        };
        var passkey = await lab.RegisterAsync(new Passkeys.Ceremonies.RelyingParty(options));
        Assert.True(passkey.Trust.IsTrusted, passkey.Trust.Detail);
        await Assert.ThrowsAsync<PasskeyException>(() => lab.RegisterAsync(rp));
    }

    [Theory]
    [InlineData(AttestationKind.Packed)]
    [InlineData(AttestationKind.Packed, AttestationKind.Compound)]
    public void Compound_of_fewer_than_two_or_of_compound_is_refused_when_the_authenticator_is_made(params AttestationKind[] kinds)
    {
        var error = Assert.Throws<ArgumentException>(() => new SoftwareAuthenticator(new SoftwareAuthenticatorOptions
        {
            Attestation = AttestationKind.Compound, CompoundAttestation = kinds,
        }));
        Assert.Contains("at least two", error.Message, StringComparison.Ordinal);
    }
}
