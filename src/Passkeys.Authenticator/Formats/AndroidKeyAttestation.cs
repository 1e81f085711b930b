using System.Formats.Asn1;
using Passkeys.Authenticator.Crypto;
using Passkeys.Encoding;

namespace Passkeys.Authenticator.Formats;

/// <summary>
/// Plays Android Keystore (KeyMint 2.0 in a TEE) generating a passkey with an attestation
/// challenge, producing the "android-key" statement of WebAuthn Level 3 §8.4:
/// <c>{alg, sig, x5c: [credCert, attestation key certificate]}</c>.
/// </summary>
/// <remarks>
/// credCert holds the credential key and the key description (§8.4.1; Android's KeyDescription
/// schema, https://source.android.com/docs/security/features/keystore/attestation#schema), with
/// attestationChallenge = clientDataHash and, in teeEnforced, purpose SIGN and origin GENERATED;
/// allApplications is absent (the key belongs to one app). sig is the credential key's signature
/// over authenticatorData ‖ clientDataHash.
/// https://www.w3.org/TR/webauthn-3/#sctn-android-key-attestation
/// </remarks>
internal static class AndroidKeyAttestation
{
    // Keymaster/KeyMint tag values (hardware/interfaces/security/keymint/aidl/.../Tag.aidl), used as
    // the context-specific tag numbers of AuthorizationList.
    private const int TagPurpose = 1, TagAlgorithm = 2, TagKeySize = 3, TagDigest = 5, TagPadding = 6, TagEcCurve = 10;
    private const int TagRsaPublicExponent = 200, TagUserAuthType = 504, TagCreationDateTime = 701, TagOrigin = 702;
    private const int TagRootOfTrust = 704, TagOsVersion = 705, TagOsPatchLevel = 706;

    private const int KeyMintVersion = 200;
    private const int AlgorithmRsa = 1, AlgorithmEc = 3;
    private const int PaddingRsaPss = 3, PaddingRsaPkcs1Sign = 5;
    private const int DigestSha256 = 4, DigestSha384 = 5, DigestSha512 = 6;
    private const int UserAuthPasswordOrFingerprint = 3;

    public static CborMap Statement(AttestationInput input)
    {
        var key = input.CredentialKey;
        byte[] challenge = input.Faults.HasFlag(AuthenticatorFaults.AndroidKeyWrongChallenge)
            ? AttestationBuilder.Altered(input.ClientDataHash)
            : input.ClientDataHash;
        var authority = input.Ca();
        using var credCert = authority.IssueAndroidKeyCertificate(key, KeyDescription(key, challenge, input.Options.Time.GetUtcNow()));
        return AttestationBuilder.Map(
            ("alg", new CborInteger(key.Algorithm)),
            ("sig", new CborByteString(key.Sign(input.SignedData))),
            ("x5c", new CborArray([new CborByteString(credCert.RawData), new CborByteString(authority.AndroidKeyHierarchy.Intermediate.RawData)])));
    }

    /// <summary>The DER KeyDescription for <paramref name="key"/>.</summary>
    public static byte[] KeyDescription(CredentialKey key, byte[] challenge, DateTimeOffset now)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(KeyMintVersion);                                      // attestationVersion
            writer.WriteEnumeratedValue(SecurityLevel.TrustedEnvironment);            // attestationSecurityLevel
            writer.WriteInteger(KeyMintVersion);                                      // keyMintVersion
            writer.WriteEnumeratedValue(SecurityLevel.TrustedEnvironment);            // keyMintSecurityLevel
            writer.WriteOctetString(challenge);                                       // attestationChallenge
            writer.WriteOctetString([]);                                              // uniqueId: not requested
            using (writer.PushSequence())                                             // softwareEnforced
            {
                Explicit(writer, TagCreationDateTime, w => w.WriteInteger(now.ToUnixTimeMilliseconds()));
            }
            using (writer.PushSequence())                                             // hardwareEnforced (teeEnforced)
            {
                Explicit(writer, TagPurpose, w => IntegerSet(w, [2]));                // KM_PURPOSE_SIGN
                switch (key)
                {
                    case EcCredentialKey ec:
                        Explicit(writer, TagAlgorithm, w => w.WriteInteger(AlgorithmEc));
                        Explicit(writer, TagKeySize, w => w.WriteInteger(ec.CoseCurve switch { 1 => 256, 2 => 384, _ => 521 }));
                        Explicit(writer, TagDigest, w => IntegerSet(w, [ec.CoseCurve switch { 1 => DigestSha256, 2 => DigestSha384, _ => DigestSha512 }]));
                        Explicit(writer, TagEcCurve, w => w.WriteInteger(ec.CoseCurve));       // EcCurve P_256 = 1, P_384 = 2, P_521 = 3, as COSE
                        break;
                    case RsaCredentialKey rsa:
                        Explicit(writer, TagAlgorithm, w => w.WriteInteger(AlgorithmRsa));
                        Explicit(writer, TagKeySize, w => w.WriteInteger(rsa.PublicParameters.Modulus!.Length * 8));
                        Explicit(writer, TagDigest, w => IntegerSet(w, [DigestSha256]));
                        Explicit(writer, TagPadding, w => IntegerSet(w, [PaddingRsaPss, PaddingRsaPkcs1Sign]));
                        Explicit(writer, TagRsaPublicExponent, w => w.WriteInteger(65537));
                        break;
                    default:
                        throw new NotSupportedException(
                            $"android-key cannot attest a COSE algorithm {key.Algorithm} key: Android Keystore attests EC and RSA keys");
                }
                Explicit(writer, TagUserAuthType, w => w.WriteInteger(UserAuthPasswordOrFingerprint));
                Explicit(writer, TagOrigin, w => w.WriteInteger(0));                  // KM_ORIGIN_GENERATED
                Explicit(writer, TagRootOfTrust, w =>
                {
                    using (w.PushSequence())
                    {
                        w.WriteOctetString(new byte[32]);                             // verifiedBootKey
                        w.WriteBoolean(true);                                         // deviceLocked
                        w.WriteEnumeratedValue(VerifiedBootState.Verified);
                        w.WriteOctetString(new byte[32]);                             // verifiedBootHash
                    }
                });
                Explicit(writer, TagOsVersion, w => w.WriteInteger(150000));          // Android 15
                Explicit(writer, TagOsPatchLevel, w => w.WriteInteger(202412));
            }
        }
        return writer.Encode();
    }

    private static void Explicit(AsnWriter writer, int tag, Action<AsnWriter> content)
    {
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, tag, isConstructed: true)))
        {
            content(writer);
        }
    }

    private static void IntegerSet(AsnWriter writer, int[] values)
    {
        using (writer.PushSetOf())
        {
            foreach (int value in values)
            {
                writer.WriteInteger(value);
            }
        }
    }

    private enum SecurityLevel
    {
        Software = 0,
        TrustedEnvironment = 1,
    }

    private enum VerifiedBootState
    {
        Verified = 0,
    }
}
