using System.Buffers.Binary;
using System.Security.Cryptography;

using System.Text.Json;
using Passkeys.Authenticator.Client;
using Passkeys.Cose;
using Passkeys.Encoding;

namespace Passkeys.Authenticator.Tests;

/// <summary>Options JSON, a fixed clock, and parsers for what the client returns.</summary>
internal static class TestKit
{
    public const string Origin = "https://login.example.com";
    public const string RpId = "example.com";
    public static readonly byte[] Challenge = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    public static readonly byte[] UserId = System.Text.Encoding.UTF8.GetBytes("user-1234");

    public static string CreationOptions(
        string algs = "-7", string attestation = "none", string residentKey = "required", string userVerification = "preferred",
        string extensions = "{}", string exclude = "[]", string rpId = RpId) =>
        $$"""
        {"rp":{"id":"{{rpId}}","name":"Example"},"user":{"id":"{{Base64UrlStrict.Encode(UserId)}}","name":"alice","displayName":"Alice"},
         "challenge":"{{Base64UrlStrict.Encode(Challenge)}}",
         "pubKeyCredParams":[{{string.Join(",", algs.Split(',').Select(a => $$"""{"type":"public-key","alg":{{a}}}"""))}}],
         "timeout":60000,"excludeCredentials":{{exclude}},
         "authenticatorSelection":{"residentKey":"{{residentKey}}","userVerification":"{{userVerification}}"},
         "attestation":"{{attestation}}","extensions":{{extensions}}}
        """;

    public static string RequestOptions(string allow = "[]", string userVerification = "preferred", string rpId = RpId) =>
        $$"""
        {"challenge":"{{Base64UrlStrict.Encode(Challenge)}}","timeout":60000,"rpId":"{{rpId}}",
         "allowCredentials":{{allow}},"userVerification":"{{userVerification}}"}
        """;

    public static string Allow(string credentialId) => $$"""[{"type":"public-key","id":"{{credentialId}}"}]""";

    public static (SoftwareAuthenticator Authenticator, SoftwareClient Client) Create(
        SoftwareAuthenticatorOptions? options = null, string origin = Origin, string? topOrigin = null)
    {
        var authenticator = new SoftwareAuthenticator(options ?? new SoftwareAuthenticatorOptions { Seed = 1, Time = new FixedClock() });
        return (authenticator, new SoftwareClient(authenticator, new SoftwareClientOptions { Origin = origin, TopOrigin = topOrigin }));
    }

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    public static byte[] B64(JsonElement e, string name) => Base64UrlStrict.Decode(e.GetProperty(name).GetString()!, name);

    public static CborMap AttestationObject(JsonElement registration) =>
        (CborMap)CborDecoder.Decode(B64(registration.GetProperty("response"), "attestationObject"), CborConformance.Ctap2Canonical, "attestationObject");

    public static byte[] SignedData(JsonElement response) =>
        [.. B64(response, "authenticatorData"), .. SHA256.HashData(B64(response, "clientDataJSON"))];

    public static bool VerifyWithSpki(byte[] spki, int alg, byte[] data, byte[] signature)
    {
        switch (alg)
        {
            case SupportedAlgorithms.ES256 or SupportedAlgorithms.ES384 or SupportedAlgorithms.ES512:
                using (var ec = ECDsa.Create())
                {
                    ec.ImportSubjectPublicKeyInfo(spki, out _);
                    var hash = alg switch { -7 => HashAlgorithmName.SHA256, -35 => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
                    return ec.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
                }
            case SupportedAlgorithms.RS256 or SupportedAlgorithms.PS256:
                using (var rsa = RSA.Create())
                {
                    rsa.ImportSubjectPublicKeyInfo(spki, out _);
                    return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, alg == SupportedAlgorithms.PS256 ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
                }
            case SupportedAlgorithms.EdDSA:
                return EdDsa.Verify(CoseCurve.Ed25519, spki.AsSpan(12), data, signature);
            case SupportedAlgorithms.MLDsa44 or SupportedAlgorithms.MLDsa65 or SupportedAlgorithms.MLDsa87:
                // The SPKI ends with the raw FIPS 204 public key (RFC 9881).
                int size = alg switch { -48 => 1312, -49 => 1952, _ => 2592 };
                return CosePublicKey.FromMLDsa((CoseAlgorithm)alg, spki.AsSpan(spki.Length - size)).Verify(data, signature);
            default:
                throw new ArgumentOutOfRangeException(nameof(alg));
        }
    }
}

/// <summary>authenticatorData split into its fields (WebAuthn L3 §6.1).</summary>
internal sealed record ParsedAuthData(
    byte[] RpIdHash, byte Flags, uint SignCount, Guid? Aaguid, byte[]? CredentialId, CborMap? CoseKey, CborMap? Extensions, int TrailingBytes)
{
    public bool UP => (Flags & 0x01) != 0;
    public bool UV => (Flags & 0x04) != 0;
    public bool BE => (Flags & 0x08) != 0;
    public bool BS => (Flags & 0x10) != 0;
    public bool AT => (Flags & 0x40) != 0;
    public bool ED => (Flags & 0x80) != 0;

    public static ParsedAuthData Parse(byte[] data)
    {
        var memory = (ReadOnlyMemory<byte>)data;
        byte flags = data[32];
        uint count = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(33));
        int pos = 37;
        Guid? aaguid = null;
        byte[]? id = null;
        CborMap? key = null, ext = null;
        if ((flags & 0x40) != 0)
        {
            aaguid = new Guid(data.AsSpan(37, 16), bigEndian: true);
            int len = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(53));
            id = data.AsSpan(55, len).ToArray();
            key = (CborMap)CborDecoder.DecodeFirst(memory, 55 + len, CborConformance.Ctap2Canonical, "credentialPublicKey", out pos);
        }
        if ((flags & 0x80) != 0)
        {
            ext = (CborMap)CborDecoder.DecodeFirst(memory, pos, CborConformance.Ctap2Canonical, "extensions", out pos);
        }
        return new ParsedAuthData(data[..32], flags, count, aaguid, id, key, ext, data.Length - pos);
    }
}

/// <summary>A clock stopped at 2026-01-02T03:04:05Z.</summary>
internal sealed class FixedClock : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
}
