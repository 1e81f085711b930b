using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Passkeys.Encoding;

namespace Passkeys.Authenticator.Formats;

/// <summary>
/// Plays Google Play services answering a SafetyNet attestation request, producing the
/// "android-safetynet" statement of WebAuthn Level 3 §8.5: <c>{ver, response}</c>, where response
/// is the UTF-8 compact JWS SafetyNet returned.
/// </summary>
/// <remarks>
/// The JWS is RS256 with header x5c [attest.android.com, intermediate] (standard base64, RFC 7515
/// §4.1.6); its payload is what the SafetyNet Attestation API documented: nonce =
/// Base64(SHA-256(authenticatorData ‖ clientDataHash)), timestampMs, ctsProfileMatch,
/// basicIntegrity, the calling APK. SafetyNet is deprecated in Level 3, but relying parties still
/// meet it in recorded and older registrations.
/// https://www.w3.org/TR/webauthn-3/#sctn-android-safetynet-attestation
/// </remarks>
internal static class AndroidSafetyNetAttestation
{
    /// <summary>attStmt.ver: the Google Play services version that answered.</summary>
    public const string Version = "244433022";

    /// <summary>How far before now <see cref="AuthenticatorFaults.SafetyNetStaleTimestamp"/> dates the response.</summary>
    public static readonly TimeSpan StaleBy = TimeSpan.FromMinutes(10);

    public static CborMap Statement(AttestationInput input)
    {
        var faults = input.Faults;
        byte[] hashed = faults.HasFlag(AuthenticatorFaults.SafetyNetWrongNonce)
            ? [.. input.AuthData, .. AttestationBuilder.Altered(input.SignedClientDataHash)]
            : input.SignedData;
        var now = input.Options.Time.GetUtcNow();
        if (faults.HasFlag(AuthenticatorFaults.SafetyNetStaleTimestamp))
        {
            now -= StaleBy;
        }
        var (certificate, key) = input.Ca().SafetyNetSigner();
        var intermediate = input.Ca().SafetyNetHierarchy.Intermediate;

        byte[] header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["alg"] = "RS256",
            ["x5c"] = new[] { Convert.ToBase64String(certificate.RawData), Convert.ToBase64String(intermediate.RawData) },
        });
        bool cts = !faults.HasFlag(AuthenticatorFaults.SafetyNetCtsProfileMismatch);
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["nonce"] = Convert.ToBase64String(SHA256.HashData(hashed)),
            ["timestampMs"] = now.ToUnixTimeMilliseconds(),
            ["apkPackageName"] = "com.google.android.gms",
            ["apkDigestSha256"] = Convert.ToBase64String(SHA256.HashData("Passkeys software authenticator"u8)),
            ["ctsProfileMatch"] = cts,
            ["apkCertificateDigestSha256"] = new[] { Convert.ToBase64String(SHA256.HashData(certificate.RawData)) },
            ["basicIntegrity"] = true,
            ["evaluationType"] = "BASIC,HARDWARE_BACKED",
        });
        string signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        string jws = signingInput + "." + Base64Url.EncodeToString(key.Sign(System.Text.Encoding.ASCII.GetBytes(signingInput)));
        return AttestationBuilder.Map(
            ("ver", new CborTextString(Version)),
            ("response", new CborByteString(System.Text.Encoding.UTF8.GetBytes(jws))));
    }
}
