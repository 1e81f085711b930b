using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Authenticator.Crypto;
using Passkeys.Ceremonies;
using Passkeys.Encoding;
using Passkeys.Protocol;

namespace Passkeys.Cli.Fuzzing;

/// <summary>A registration the relying party would accept, with what it needs to finish it.</summary>
internal sealed record RegistrationSeed(string Name, RelyingParty RelyingParty, RegistrationState State, string ResponseJson);

/// <summary>An authentication the relying party would accept, with the stored credential.</summary>
internal sealed record AuthenticationSeed(string Name, RelyingParty RelyingParty, AuthenticationState State, CredentialRecord Credential, string ResponseJson);

/// <summary>
/// The real inputs the fuzzer mutates: the software authenticator's output (seeded, every
/// attestation kind and algorithm) and, when a vectors folder is given, the registrations and
/// authentications in it (tpm, android-key, android-safetynet, apple, compound…).
/// </summary>
internal sealed class FuzzCorpus
{
    private const string RpId = "fuzz.example";
    private const string Origin = "https://fuzz.example";

    public List<RegistrationSeed> Registrations { get; } = [];
    public List<AuthenticationSeed> Authentications { get; } = [];

    /// <summary>Builds the corpus; <paramref name="vectorsDirectory"/> is optional.</summary>
    public static FuzzCorpus Build(string? vectorsDirectory)
    {
        var corpus = new FuzzCorpus();
        corpus.AddSoftwareAuthenticator();
        if (vectorsDirectory is not null && Directory.Exists(vectorsDirectory))
        {
            corpus.AddVectors(vectorsDirectory);
        }
        return corpus;
    }

    public static RelyingParty NewRelyingParty(string rpId, string origin, X509Certificate2? trustAnchor = null)
    {
        var options = new RelyingPartyOptions
        {
            RpId = rpId,
            RpName = "fuzz",
            Origins = [origin],
            Algorithms = Enum.GetValues<Cose.CoseAlgorithm>(),
            Attestation = AttestationConveyancePreference.Direct,
            AllowCrossOrigin = true,
            // With an anchor, attestation trust paths go through X509Chain too.
            TrustAnchors = trustAnchor is null ? [] : [trustAnchor],
        };
        // Reach past freshness and profile checks into the parsers behind them.
        options.AttestationVerification.DangerouslySkipSafetyNetTimestampCheck = true;
        options.AttestationVerification.SafetyNetRequireCtsProfileMatch = false;
        options.AttestationVerification.AllowRs1 = true;
        return new RelyingParty(options);
    }

    private void AddSoftwareAuthenticator()
    {
        using var ca = new TestCertificateAuthority(1);
        var rp = NewRelyingParty(RpId, Origin, X509CertificateLoader.LoadCertificate(ca.Root.RawData));
        (AttestationKind Kind, int Alg)[] kinds =
        [
            (AttestationKind.None, SupportedAlgorithms.ES256), (AttestationKind.Packed, SupportedAlgorithms.ES256),
            (AttestationKind.FidoU2f, SupportedAlgorithms.ES256), (AttestationKind.PackedSelf, SupportedAlgorithms.ES384),
            (AttestationKind.PackedSelf, SupportedAlgorithms.ES512), (AttestationKind.PackedSelf, SupportedAlgorithms.RS256),
            (AttestationKind.PackedSelf, SupportedAlgorithms.PS256), (AttestationKind.PackedSelf, SupportedAlgorithms.EdDSA),
        ];
        int n = 0;
        foreach (var (kind, alg) in kinds)
        {
            using var authenticator = new SoftwareAuthenticator(new SoftwareAuthenticatorOptions { Seed = 42 + n, Attestation = kind, Algorithms = [alg], CertificateAuthority = ca });
            var client = new SoftwareClient(authenticator, new SoftwareClientOptions { Origin = Origin });
            var registration = rp.BeginRegistration(new RegistrationRequest { User = new UserIdentity([(byte)++n], "user" + n, "User " + n) });
            string created = client.CreateAsync(registration.OptionsJson).GetAwaiter().GetResult();
            var passkey = rp.FinishRegistration(created, registration.State);
            Registrations.Add(new RegistrationSeed($"software {kind} {alg}", rp, registration.State with { ExpiresAt = DateTimeOffset.MaxValue }, created));

            var authentication = rp.BeginAuthentication(new AuthenticationRequest());
            string got = client.GetAsync(authentication.OptionsJson).GetAwaiter().GetResult();
            Authentications.Add(new AuthenticationSeed($"software {alg}", rp, authentication.State with { ExpiresAt = DateTimeOffset.MaxValue }, passkey.Credential, got));
        }
    }

    private void AddVectors(string directory)
    {
        foreach (string path in Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(path));
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ceremony", out var ceremony) || !root.TryGetProperty("response", out var response))
                {
                    continue;
                }
                string rpId = root.GetProperty("rpId").GetString()!;
                string origin = root.GetProperty("origin").GetString()!;
                byte[] challenge = ChallengeOf(response);
                string name = Path.GetRelativePath(directory, path);
                var rp = NewRelyingParty(rpId, origin);
                if (ceremony.GetString() == "registration")
                {
                    Registrations.Add(new RegistrationSeed(name, rp, new RegistrationState
                    {
                        Challenge = challenge,
                        RpId = rpId,
                        UserId = [1],
                        UserName = "vector",
                        DisplayName = "vector",
                        Algorithms = [.. Enum.GetValues<Cose.CoseAlgorithm>().Select(a => (int)a)],
                        ExpiresAt = DateTimeOffset.MaxValue,
                    }, response.GetRawText()));
                }
                else if (root.TryGetProperty("credentialPublicKey", out var key) && key.GetString() is { } keyText)
                {
                    var parsed = AuthenticationResponse.Parse(response.GetRawText());
                    byte[] publicKey = Base64UrlStrict.Decode(keyText, "credentialPublicKey");
                    Authentications.Add(new AuthenticationSeed(name, rp, new AuthenticationState
                    {
                        Challenge = challenge,
                        RpId = rpId,
                        UserHandle = parsed.UserHandle is null ? [1] : null,
                        ExpiresAt = DateTimeOffset.MaxValue,
                    }, new CredentialRecord
                    {
                        Id = parsed.CredentialId.ToArray(),
                        UserHandle = parsed.UserHandle?.ToArray() ?? [1],
                        PublicKey = publicKey,
                        Algorithm = Cose.CosePublicKey.Decode(publicKey).Algorithm,
                    }, response.GetRawText()));
                }
            }
            catch (Exception e) when (e is JsonException or PasskeyException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                // A vector the library refuses to parse is still worth nothing as a seed here; skip it.
            }
        }
    }

    private static byte[] ChallengeOf(JsonElement response)
    {
        byte[] clientData = Base64UrlStrict.Decode(response.GetProperty("response").GetProperty("clientDataJSON").GetString()!, "clientDataJSON");
        using var document = JsonDocument.Parse(clientData);
        return Base64UrlStrict.Decode(document.RootElement.GetProperty("challenge").GetString()!, "challenge");
    }

    /// <summary>Every base64url member of every response's "response" object, decoded, by member name.</summary>
    public IEnumerable<(string Member, byte[] Bytes)> ResponseMembers()
    {
        foreach (string json in Registrations.Select(r => r.ResponseJson).Concat(Authentications.Select(a => a.ResponseJson)))
        {
            using var document = JsonDocument.Parse(json);
            foreach (var member in document.RootElement.GetProperty("response").EnumerateObject())
            {
                if (member.Value.ValueKind == JsonValueKind.String && Base64UrlTry(member.Value.GetString()!) is { } bytes)
                {
                    yield return (member.Name, bytes);
                }
            }
        }
    }

    private static byte[]? Base64UrlTry(string text)
    {
        try
        {
            return Base64UrlStrict.Decode(text, "member");
        }
        catch (PasskeyException)
        {
            return null;
        }
    }

    /// <summary>A small MDS3-shaped payload (entries from a statements folder when given) for the signed-BLOB target.</summary>
    public static byte[] MetadataPayload(string? statementsDirectory)
    {
        var entries = new List<string>();
        if (statementsDirectory is not null && Directory.Exists(statementsDirectory))
        {
            foreach (string file in Directory.EnumerateFiles(statementsDirectory, "*.json").Order(StringComparer.Ordinal).Take(4))
            {
                string text = File.ReadAllText(file);
                if (text.Contains("\"statusReports\"", StringComparison.Ordinal))
                {
                    entries.Add(text);
                }
            }
        }
        if (entries.Count == 0)
        {
            entries.Add("""{"aaguid":"5e1f9c1a-7d6b-4c39-9a0e-2f7a3b8d6c41","metadataStatement":{"description":"fuzz","protocolFamily":"fido2","attestationTypes":["basic_full"],"attestationRootCertificates":[]},"statusReports":[{"status":"FIDO_CERTIFIED_L1","effectiveDate":"2024-01-01"}]}""");
            entries.Add("""{"attestationCertificateKeyIdentifiers":["0011223344556677889900112233445566778899"],"statusReports":[{"status":"REVOKED","effectiveDate":"2024-02-01","authenticatorVersion":2}]}""");
        }
        return System.Text.Encoding.UTF8.GetBytes($$"""{"legalHeader":"fuzz","no":7,"nextUpdate":"2099-01-01","entries":[{{string.Join(',', entries)}}]}""");
    }
}

/// <summary>A throwaway metadata signer: an ES256 leaf under its own root, for BLOBs whose payload is mutated and then signed.</summary>
internal sealed class MetadataSigner : IDisposable
{
    private readonly ECDsa _leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _leaf;
    private readonly string _header;

    public MetadataSigner()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        var rootRequest = new CertificateRequest("CN=Fuzz Metadata Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        Root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        var leafRequest = new CertificateRequest("CN=Fuzz Metadata Signer", _leafKey, HashAlgorithmName.SHA256);
        _leaf = leafRequest.Create(Root, now.AddDays(-1), now.AddMonths(6), [1, 2, 3, 4]);
        _header = Base64UrlStrict.Encode(System.Text.Encoding.UTF8.GetBytes($$"""{"alg":"ES256","typ":"JWT","x5c":["{{Convert.ToBase64String(_leaf.RawData)}}"]}"""));
    }

    public X509Certificate2 Root { get; }

    /// <summary>header.payload.signature with a valid ES256 signature over whatever payload bytes are given.</summary>
    public string Sign(ReadOnlySpan<byte> payload)
    {
        string signingInput = _header + "." + Base64UrlStrict.Encode(payload);
        byte[] signature = _leafKey.SignData(System.Text.Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64UrlStrict.Encode(signature);
    }

    public void Dispose()
    {
        _leafKey.Dispose();
        _leaf.Dispose();
        Root.Dispose();
    }
}
