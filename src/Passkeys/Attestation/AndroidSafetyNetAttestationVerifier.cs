using System.Security.Cryptography;
using System.Text.Json;
using Passkeys.Encoding;

namespace Passkeys.Attestation;

/// <summary>
/// §8.5 "android-safetynet" (deprecated in WebAuthn L3; Google shut SafetyNet down, but recorded
/// and older registrations still carry it): a SafetyNet attestation JWS over the nonce.
/// </summary>
public sealed class AndroidSafetyNetAttestationVerifier : IAttestationStatementVerifier
{
    /// <summary>The host name SafetyNet's signing certificate is issued to.</summary>
    public const string AttestationHostname = "attest.android.com";

    /// <inheritdoc />
    public string Format => "android-safetynet";

    /// <inheritdoc />
    public AttestationStatementResult Verify(AttestationStatementInput input)
    {
        // ATT-SAFETYNET-01-cbor: ver (non-empty text), response (bytes).
        var statement = input.Statement;
        string ver = Cbor.AsText(statement["ver"], PasskeyError.MalformedAttestationStatement, "android-safetynet attStmt.ver");
        if (ver.Length == 0)
        {
            throw new PasskeyException(PasskeyError.MalformedAttestationStatement, "android-safetynet attStmt.ver is empty (ATT-SAFETYNET-01-cbor)");
        }
        var response = Cbor.AsBytes(statement["response"], PasskeyError.MalformedAttestationStatement, "android-safetynet attStmt.response");
        string text;
        try
        {
            text = new System.Text.UTF8Encoding(false, true).GetString(response.Span);
        }
        catch (ArgumentException e)
        {
            throw new PasskeyException(PasskeyError.MalformedAttestationStatement, "android-safetynet response is not UTF-8 (ATT-SAFETYNET-02-jws)", e);
        }
        // ATT-SAFETYNET-02-jws: a compact JWS with an x5c header.
        var jws = CompactJws.Parse(text, PasskeyError.MalformedAttestationStatement, "android-safetynet response (ATT-SAFETYNET-02-jws)");

        // ATT-SAFETYNET-04-source: the leaf is issued to attest.android.com and signed the JWS. The chain
        // to a GlobalSign root is judged at REG-24 over the returned trust path.
        var leaf = jws.X5c[0];
        if (!leaf.MatchesHostname(AttestationHostname, allowWildcards: false, allowCommonName: true))
        {
            throw new PasskeyException(PasskeyError.AttestationCertificateInvalid,
                $"android-safetynet signing certificate '{leaf.Subject}' is not issued to {AttestationHostname} (ATT-SAFETYNET-04-source)");
        }
        if (!jws.VerifySignature())
        {
            throw new PasskeyException(PasskeyError.AttestationSignatureInvalid,
                $"android-safetynet JWS signature ({jws.Algorithm}) does not verify with its x5c leaf (ATT-SAFETYNET-04-source)");
        }

        JsonElement payload;
        try
        {
            using var doc = JsonDocument.Parse(jws.Payload);
            payload = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new PasskeyException(PasskeyError.MalformedAttestationStatement, "android-safetynet JWS payload is not JSON (ATT-SAFETYNET-02-jws)", e);
        }
        if (!JsonUnicode.IsValid(payload))
        {
            // An escaped lone surrogate in a name or value would throw from the lookups below.
            throw new PasskeyException(PasskeyError.MalformedAttestationStatement, "android-safetynet JWS payload holds a string that is not valid Unicode (ATT-SAFETYNET-02-jws)");
        }
        if (payload.ValueKind != JsonValueKind.Object)
        {
            throw new PasskeyException(PasskeyError.MalformedAttestationStatement, "android-safetynet JWS payload is not a JSON object (ATT-SAFETYNET-02-jws)");
        }

        // ATT-SAFETYNET-03-nonce: nonce = Base64(SHA-256(authenticatorData ‖ clientDataHash)), standard base64 with padding.
        string expectedNonce = Convert.ToBase64String(SHA256.HashData(input.SignedData()));
        if (!payload.TryGetProperty("nonce", out var nonce) || nonce.ValueKind != JsonValueKind.String
            || !string.Equals(nonce.GetString(), expectedNonce, StringComparison.Ordinal))
        {
            throw new PasskeyException(PasskeyError.AttestationDataMismatch,
                "android-safetynet nonce is not Base64(SHA-256(authenticatorData ‖ clientDataHash)) (ATT-SAFETYNET-03-nonce)");
        }

        // ATT-SAFETYNET-02-jws (Google's documentation): ctsProfileMatch, unless the RP opted out.
        if (input.Options.SafetyNetRequireCtsProfileMatch
            && !(payload.TryGetProperty("ctsProfileMatch", out var cts) && cts.ValueKind == JsonValueKind.True))
        {
            throw new PasskeyException(PasskeyError.AttestationDataMismatch,
                "android-safetynet ctsProfileMatch is not true: the device failed the compatibility check (ATT-SAFETYNET-02-jws)");
        }

        // ATT-SAFETYNET-02-jws: timestampMs is recent.
        if (!input.Options.DangerouslySkipSafetyNetTimestampCheck)
        {
            if (!payload.TryGetProperty("timestampMs", out var ts) || !ts.TryGetInt64(out long timestampMs))
            {
                throw new PasskeyException(PasskeyError.MalformedAttestationStatement, "android-safetynet payload has no numeric timestampMs (ATT-SAFETYNET-02-jws)");
            }
            var now = input.TimeProvider.GetUtcNow();
            var issued = DateTimeOffset.FromUnixTimeMilliseconds(timestampMs);
            var age = now - issued;
            if (age.Duration() > input.Options.SafetyNetMaxAge)
            {
                throw new PasskeyException(PasskeyError.AttestationDataMismatch,
                    $"android-safetynet timestampMs {issued:O} is {age.TotalSeconds:F0}s from now ({now:O}); at most {input.Options.SafetyNetMaxAge.TotalSeconds:F0}s allowed (ATT-SAFETYNET-02-jws)");
            }
        }
        // ATT-SAFETYNET-05-out: the trust path is the JWS x5c.
        return new AttestationStatementResult(Format, AttestationType.Basic, jws.X5c);
    }
}
