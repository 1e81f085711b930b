using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Passkeys.Cli.Authenticator;
using Passkeys.Ceremonies;
using Passkeys.Encoding;

namespace Passkeys.Cli.Tests.Authenticator;

/// <summary>
/// The CLI's output must be accepted by independent verifiers, not only by ours: the packed
/// attestation and the assertion signature checked with .NET's own X509Chain and ECDsa, reading
/// the bytes by hand per WebAuthn L3 §6.1 and §8.2. Our CborDecoder is used for CBOR framing
/// only (System.Formats.Cbor is not available); no Passkeys verification code runs.
/// </summary>
public sealed class IndependentVerificationTests : IDisposable
{
    private const string Origin = "https://login.example.com";
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Packed_attestation_and_assertion_verify_with_dotnet_crypto_alone()
    {
        // Options made by the library (any RP's options would do).
        var rp = CreateGetTests.NewRelyingParty(Protocol.AttestationConveyancePreference.Direct);
        var registration = CreateGetTests.BeginRegistration(rp);
        var output = new StringWriter();
        Assert.Equal(0, AuthenticatorCommand.RunCreate(new AuthenticatorSettings(_store.Path), registration.OptionsJson, Origin, "packed", "ES256", output, new StringWriter()));
        using var created = JsonDocument.Parse(output.ToString());
        var response = created.RootElement.GetProperty("response");
        byte[] clientDataJson = B64(response.GetProperty("clientDataJSON").GetString()!);
        byte[] attestationObject = B64(response.GetProperty("attestationObject").GetString()!);

        // clientDataJSON (§5.8.1).
        using (var clientData = JsonDocument.Parse(clientDataJson))
        {
            Assert.Equal("webauthn.create", clientData.RootElement.GetProperty("type").GetString());
            Assert.Equal(Convert.ToBase64String(registration.State.Challenge).TrimEnd('=').Replace('+', '-').Replace('/', '_'), clientData.RootElement.GetProperty("challenge").GetString());
            Assert.Equal(Origin, clientData.RootElement.GetProperty("origin").GetString());
        }

        // attestationObject framing: {fmt, attStmt, authData}.
        var map = (CborMap)CborDecoder.Decode(attestationObject, CborConformance.Lax, "attestationObject");
        Assert.Equal("packed", ((CborTextString)map["fmt"]!).Value);
        byte[] authData = ((CborByteString)map["authData"]!).Value.ToArray();
        var attStmt = (CborMap)map["attStmt"]!;
        Assert.Equal(-7, (long)((CborInteger)attStmt["alg"]!).Value);
        byte[] sig = ((CborByteString)attStmt["sig"]!).Value.ToArray();
        var x5c = ((CborArray)attStmt["x5c"]!).Items.Select(c => X509CertificateLoader.LoadCertificate(((CborByteString)c).Value.Span)).ToList();

        // authenticatorData by hand (§6.1): rpIdHash, flags UP|UV|AT, counter, AAGUID, credential id, COSE key.
        Assert.Equal(SHA256.HashData("login.example.com"u8), authData[..32]);
        byte flags = authData[32];
        Assert.Equal(0x45, flags & 0x45);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(authData.AsSpan(33)));
        byte[] aaguid = authData[37..53];
        int idLength = BinaryPrimitives.ReadUInt16BigEndian(authData.AsSpan(53));
        byte[] credentialId = authData[55..(55 + idLength)];
        Assert.Equal(credentialId, B64(created.RootElement.GetProperty("rawId").GetString()!));
        var coseKey = (CborMap)CborDecoder.Decode(authData.AsMemory(55 + idLength), CborConformance.Lax, "credentialPublicKey");
        Assert.Equal(2, (long)((CborInteger)coseKey[1]!).Value);   // kty EC2
        Assert.Equal(-7, (long)((CborInteger)coseKey[3]!).Value);  // alg ES256
        Assert.Equal(1, (long)((CborInteger)coseKey[-1]!).Value);  // crv P-256
        using var credentialKey = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = ((CborByteString)coseKey[-2]!).Value.ToArray(), Y = ((CborByteString)coseKey[-3]!).Value.ToArray() },
        });
        // The response's publicKey (SPKI) is the same key.
        using (var spki = ECDsa.Create())
        {
            spki.ImportSubjectPublicKeyInfo(B64(response.GetProperty("publicKey").GetString()!), out _);
            Assert.Equal(credentialKey.ExportParameters(false).Q.X, spki.ExportParameters(false).Q.X);
        }

        // §8.2.1 certificate requirements and §8.2 step 2: sig over authData ‖ SHA-256(clientDataJSON) with x5c[0].
        var leaf = x5c[0];
        Assert.Equal(3, leaf.Version);
        Assert.Contains("OU=Authenticator Attestation", leaf.Subject, StringComparison.Ordinal);
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        byte[] aaguidExtension = leaf.Extensions["1.3.6.1.4.1.45724.1.1.4"]!.RawData;
        Assert.Equal([0x04, 0x10, .. aaguid], aaguidExtension);
        using (var attestationKey = leaf.GetECDsaPublicKey()!)
        {
            Assert.True(attestationKey.VerifyData((byte[])[.. authData, .. SHA256.HashData(clientDataJson)], sig, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }

        // The chain to the exported root, with .NET's X509Chain.
        var pem = new StringWriter();
        AuthenticatorCommand.RunExportRoot(pem);
        using var root = X509Certificate2.CreateFromPem(pem.ToString());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.AddRange(x5c.Skip(1).ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        // get: the assertion signature over authData ‖ SHA-256(clientDataJSON) with the credential key.
        var authentication = rp.BeginAuthentication(new AuthenticationRequest());
        var got = new StringWriter();
        Assert.Equal(0, AuthenticatorCommand.RunGet(new AuthenticatorSettings(_store.Path), authentication.OptionsJson, Origin, got, new StringWriter()));
        using var assertion = JsonDocument.Parse(got.ToString());
        var assertionResponse = assertion.RootElement.GetProperty("response");
        byte[] assertionAuthData = B64(assertionResponse.GetProperty("authenticatorData").GetString()!);
        byte[] assertionClientData = B64(assertionResponse.GetProperty("clientDataJSON").GetString()!);
        byte[] signature = B64(assertionResponse.GetProperty("signature").GetString()!);
        Assert.Equal(37, assertionAuthData.Length);
        Assert.Equal(SHA256.HashData("login.example.com"u8), assertionAuthData[..32]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(assertionAuthData.AsSpan(33)));
        using (var clientData = JsonDocument.Parse(assertionClientData))
        {
            Assert.Equal("webauthn.get", clientData.RootElement.GetProperty("type").GetString());
            Assert.Equal(Origin, clientData.RootElement.GetProperty("origin").GetString());
        }
        Assert.True(credentialKey.VerifyData((byte[])[.. assertionAuthData, .. SHA256.HashData(assertionClientData)], signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.Equal(credentialId, B64(assertion.RootElement.GetProperty("rawId").GetString()!));
    }

    private static byte[] B64(string base64Url)
    {
        string s = base64Url.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
