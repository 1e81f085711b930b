using System.Security.Cryptography;
using Passkeys.Cose;
using Passkeys.Encoding;

namespace Passkeys.Attestation;

/// <summary>§8.4 "android-key": Android Keystore hardware-backed key attestation.</summary>
public sealed class AndroidKeyAttestationVerifier : IAttestationStatementVerifier
{
    /// <inheritdoc />
    public string Format => "android-key";

    /// <inheritdoc />
    public AttestationStatementResult Verify(AttestationStatementInput input)
    {
        // ATT-ANDKEY-01-cbor: alg, sig, x5c.
        var statement = input.Statement;
        var alg = (CoseAlgorithm)Cbor.AsInt64(statement["alg"], PasskeyError.MalformedAttestationStatement, "android-key attStmt.alg");
        var sig = Cbor.AsBytes(statement["sig"], PasskeyError.MalformedAttestationStatement, "android-key attStmt.sig");
        var x5c = AttestationCertificates.ReadX5c(statement["x5c"], Format);
        AttestationAlgorithms.EnsureAllowed(alg, input.Options, Format);
        var credCert = x5c[0];

        // ATT-ANDKEY-03-pubkey: x5c[0]'s key is the credential public key.
        if (!input.Credential.CredentialPublicKey.HasSamePublicKey(credCert))
        {
            throw new PasskeyException(PasskeyError.AttestationDataMismatch,
                "android-key x5c[0] public key differs from the credential public key (ATT-ANDKEY-03-pubkey)");
        }
        var extension = credCert.Extensions[AndroidKeyDescription.Oid]
            ?? throw new PasskeyException(PasskeyError.AttestationCertificateInvalid,
                $"android-key x5c[0] has no key description extension {AndroidKeyDescription.Oid} (ATT-ANDKEY-04-challenge)");
        var description = AndroidKeyDescription.Parse(extension.RawData);

        // ATT-ANDKEY-04-challenge
        if (!CryptographicOperations.FixedTimeEquals(description.AttestationChallenge, input.ClientDataHash.Span))
        {
            throw new PasskeyException(PasskeyError.AttestationDataMismatch,
                "android-key attestationChallenge differs from clientDataHash (ATT-ANDKEY-04-challenge)");
        }
        VerifyAuthorizations(description, input.Options.AndroidKeyRequireTeeEnforced);
        // ATT-ANDKEY-02-sig (checked after the content checks; all must pass): sig over authenticatorData ‖ clientDataHash with x5c[0]'s key.
        if (!CosePublicKey.FromCertificate(credCert, alg).Verify(input.SignedData(), sig.Span))
        {
            throw new PasskeyException(PasskeyError.AttestationSignatureInvalid,
                $"android-key signature ({CoseAlgorithms.Name(alg)}) does not verify with x5c[0] (ATT-ANDKEY-02-sig)");
        }
        // ATT-ANDKEY-06-out
        return new AttestationStatementResult(Format, AttestationType.Basic, x5c);
    }

    /// <summary>ATT-ANDKEY-05a/b/c over a parsed key description; <paramref name="teeOnly"/> selects teeEnforced only.</summary>
    internal static void VerifyAuthorizations(AndroidKeyDescription description, bool teeOnly)
    {
        var software = description.SoftwareEnforced;
        var tee = description.TeeEnforced;
        // ATT-ANDKEY-05a-allapps: the key must be bound to this app, in neither list allApplications.
        if (software.AllApplications || tee.AllApplications)
        {
            throw new PasskeyException(PasskeyError.AttestationDataMismatch,
                "android-key authorization list has allApplications: the key is usable by every app (ATT-ANDKEY-05a-allapps)");
        }
        // Policy: teeEnforced only when AndroidKeyRequireTeeEnforced, else the union of both lists.
        string lists = teeOnly ? "teeEnforced" : "teeEnforced ∪ softwareEnforced";
        // ATT-ANDKEY-05b-origin
        bool generated = tee.Origin == AndroidKeyDescription.OriginGenerated
            || (!teeOnly && software.Origin == AndroidKeyDescription.OriginGenerated);
        if (!generated)
        {
            throw new PasskeyException(PasskeyError.AttestationDataMismatch,
                $"android-key origin in {lists} is not KM_ORIGIN_GENERATED (ATT-ANDKEY-05b-origin)");
        }
        // ATT-ANDKEY-05c-purpose
        bool sign = tee.Purposes.Contains(AndroidKeyDescription.PurposeSign)
            || (!teeOnly && software.Purposes.Contains(AndroidKeyDescription.PurposeSign));
        if (!sign)
        {
            throw new PasskeyException(PasskeyError.AttestationDataMismatch,
                $"android-key purpose in {lists} does not include KM_PURPOSE_SIGN (ATT-ANDKEY-05c-purpose)");
        }
    }
}
