using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using System.Text.Json;

namespace Passkeys.Attestation;

/// <summary>
/// A compact-serialized JWS (RFC 7515) signed by the first certificate of its <c>x5c</c> header:
/// the shape of both SafetyNet attestation responses and FIDO MDS3 BLOBs.
/// </summary>
public sealed class CompactJws
{
    private CompactJws(JsonElement header, string algorithm, byte[] payload, byte[] signingInput, byte[] signature, IReadOnlyList<X509Certificate2> x5c)
    {
        Header = header;
        Algorithm = algorithm;
        Payload = payload;
        SigningInput = signingInput;
        Signature = signature;
        X5c = x5c;
    }

    /// <summary>The decoded protected header.</summary>
    public JsonElement Header { get; }
    /// <summary>The header's alg.</summary>
    public string Algorithm { get; }
    /// <summary>The decoded payload bytes.</summary>
    public byte[] Payload { get; }
    /// <summary>ASCII(BASE64URL(header) '.' BASE64URL(payload)): the signed bytes.</summary>
    public byte[] SigningInput { get; }
    /// <summary>The decoded signature.</summary>
    public byte[] Signature { get; }
    /// <summary>The header's x5c chain, leaf first.</summary>
    public IReadOnlyList<X509Certificate2> X5c { get; }

    /// <summary>Parses a compact JWS whose header carries alg and a non-empty x5c.</summary>
    /// <param name="text">The compact serialization.</param>
    /// <param name="error">The code to fail with.</param>
    /// <param name="what">What the JWS is, for error details.</param>
    public static CompactJws Parse(string text, PasskeyError error, string what)
    {
        string[] parts = text.Split('.');
        if (parts.Length != 3)
        {
            throw new PasskeyException(error, $"{what} is not a compact JWS (it has {parts.Length} part(s), not 3)");
        }
        try
        {
            byte[] headerBytes = Base64Url.DecodeFromChars(parts[0]);
            byte[] payload = Base64Url.DecodeFromChars(parts[1]);
            byte[] signature = Base64Url.DecodeFromChars(parts[2]);
            using var headerDoc = JsonDocument.Parse(headerBytes);
            var header = headerDoc.RootElement.Clone();
            if (header.ValueKind != JsonValueKind.Object
                || !header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
            {
                throw new PasskeyException(error, $"{what} JWS header has no alg");
            }
            if (!header.TryGetProperty("x5c", out var x5cElement) || x5cElement.ValueKind != JsonValueKind.Array || x5cElement.GetArrayLength() == 0)
            {
                throw new PasskeyException(error, $"{what} JWS header has no x5c certificate chain");
            }
            var x5c = new List<X509Certificate2>();
            foreach (var item in x5cElement.EnumerateArray())
            {
                // RFC 7515 §4.1.6: x5c entries are standard base64 (not base64url) DER.
                if (item.ValueKind != JsonValueKind.String)
                {
                    throw new PasskeyException(error, $"{what} JWS x5c entry is not a string");
                }
                x5c.Add(AttestationCertificates.Load(Convert.FromBase64String(item.GetString()!), $"{what} JWS x5c[{x5c.Count}]"));
            }
            byte[] signingInput = System.Text.Encoding.ASCII.GetBytes(string.Concat(parts[0], ".", parts[1]));
            return new CompactJws(header, alg.GetString()!, payload, signingInput, signature, x5c);
        }
        // InvalidOperationException: JsonElement.GetString on a string holding invalid UTF-8 (found by the fuzzer).
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            throw new PasskeyException(error, $"{what} is not a well-formed JWS: {e.Message}", e);
        }
    }

    /// <summary>Whether the signature verifies with the x5c leaf's key under the header's alg (RS256/384/512, PS256/384/512, ES256/384/512).</summary>
    public bool VerifySignature()
    {
        var leaf = X5c[0];
        // alg is attacker-chosen text: every supported value is five characters (family + bits),
        // and anything shorter must not reach the slicing below, which would throw.
        if (Algorithm.Length != 5)
        {
            return false;
        }
        HashAlgorithmName hash = Algorithm[2..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            "512" => HashAlgorithmName.SHA512,
            _ => default,
        };
        if (hash == default)
        {
            return false;
        }
        try
        {
            switch (Algorithm[..2])
            {
                case "RS":
                {
                    using var rsa = leaf.GetRSAPublicKey();
                    return rsa is not null && rsa.VerifyData(SigningInput, Signature, hash, RSASignaturePadding.Pkcs1);
                }
                case "PS":
                {
                    using var rsa = leaf.GetRSAPublicKey();
                    return rsa is not null && rsa.VerifyData(SigningInput, Signature, hash, RSASignaturePadding.Pss);
                }
                case "ES":
                {
                    // JWS ECDSA signatures are r ‖ s (IEEE P1363), not DER.
                    using var ecdsa = leaf.GetECDsaPublicKey();
                    return ecdsa is not null && ecdsa.VerifyData(SigningInput, Signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                }
                default:
                    return false;
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
