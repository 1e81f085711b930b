using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Passkeys.Cose;
using Passkeys.Encoding;
using Passkeys.Protocol;
using Passkeys.TestSupport;

namespace Passkeys.Tests.Cose;

/// <summary>One signature found in a vector: the key it claims, the signed bytes and the signature.</summary>
internal sealed record SignedVectorData(string Name, CosePublicKey Key, byte[] Data, byte[] Signature)
{
    /// <summary>
    /// Every assertion signature and every packed attestation signature (self or x5c) in
    /// ../shared/vectors whose key is of <paramref name="keyType"/>, from the positive vectors.
    /// </summary>
    public static IEnumerable<SignedVectorData> Find(CoseKeyType keyType)
    {
        foreach (var file in Directory.EnumerateFiles(SharedData.VectorsDirectory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            var json = doc.RootElement;
            if (!json.TryGetProperty("expected", out var expected) || !expected.GetProperty("ok").GetBoolean())
            {
                continue;
            }
            string name = Path.GetRelativePath(SharedData.VectorsDirectory, file);
            var response = json.GetProperty("response").GetProperty("response");
            byte[] clientDataHash = SHA256.HashData(Bytes(response, "clientDataJSON"));
            if (json.GetProperty("ceremony").GetString() == "authentication")
            {
                var key = CosePublicKey.Decode(Base64UrlStrict.Decode(json.GetProperty("credentialPublicKey").GetString(), "credentialPublicKey"));
                if (key.KeyType == keyType)
                {
                    yield return new(name, key, [.. Bytes(response, "authenticatorData"), .. clientDataHash], Bytes(response, "signature"));
                }
                continue;
            }
            var attestation = Cbor.AsMap(CborDecoder.Decode(Bytes(response, "attestationObject"), CborConformance.Lax, "attestationObject"), PasskeyError.MalformedAttestationObject, "attestationObject");
            if (Cbor.AsText(attestation["fmt"], PasskeyError.MalformedAttestationObject, "fmt") != "packed")
            {
                continue;
            }
            var authData = Cbor.AsBytes(attestation["authData"], PasskeyError.MalformedAttestationObject, "authData");
            var statement = Cbor.AsMap(attestation["attStmt"], PasskeyError.MalformedAttestationStatement, "attStmt");
            var alg = (CoseAlgorithm)Cbor.AsInt64(statement["alg"], PasskeyError.MalformedAttestationStatement, "alg");
            if (CoseAlgorithms.KeyTypeOf(alg) != keyType)
            {
                continue;
            }
            byte[] signature = Cbor.AsBytes(statement["sig"], PasskeyError.MalformedAttestationStatement, "sig").ToArray();
            CosePublicKey signer = statement["x5c"] is CborArray x5c
                ? CosePublicKey.FromCertificate(X509CertificateLoader.LoadCertificate(((CborByteString)x5c.Items[0]).Value.Span), alg)
                : AuthenticatorData.Parse(authData).AttestedCredentialData!.CredentialPublicKey;
            yield return new(name + " (attestation)", signer, [.. authData.Span, .. clientDataHash], signature);
        }
    }

    private static byte[] Bytes(JsonElement response, string member) =>
        Base64UrlStrict.Decode(response.GetProperty(member).GetString(), member);
}
