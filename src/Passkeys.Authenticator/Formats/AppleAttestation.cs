using System.Security.Cryptography;
using Passkeys.Encoding;

namespace Passkeys.Authenticator.Formats;

/// <summary>
/// Plays Apple's anonymous attestation CA certifying a platform passkey, producing the "apple"
/// statement of WebAuthn Level 3 §8.8: <c>{x5c: [credCert, intermediate]}</c>, where credCert
/// holds the credential public key and nonce = SHA-256(authenticatorData ‖ clientDataHash) in
/// extension 1.2.840.113635.100.8.2. There is no signature: the fresh certificate is the proof.
/// </summary>
/// <remarks>https://www.w3.org/TR/webauthn-3/#sctn-apple-anonymous-attestation</remarks>
internal static class AppleAttestation
{
    public static CborMap Statement(AttestationInput input)
    {
        byte[] hash = input.Faults.HasFlag(AuthenticatorFaults.AppleWrongNonce)
            ? AttestationBuilder.Altered(input.SignedClientDataHash)
            : input.SignedClientDataHash;
        byte[] nonce = SHA256.HashData([.. input.AuthData, .. hash]);
        var authority = input.Ca();
        using var credCert = authority.IssueAppleCredentialCertificate(input.CredentialKey, nonce);
        return AttestationBuilder.Map(
            ("x5c", new CborArray([new CborByteString(credCert.RawData), new CborByteString(authority.AppleHierarchy.Intermediate.RawData)])));
    }
}
