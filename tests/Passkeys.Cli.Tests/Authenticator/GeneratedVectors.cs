using System.Text.Json;
using System.Text.Json.Nodes;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Cose;
using Passkeys.Encoding;
using Passkeys.Protocol;

namespace Passkeys.Cli.Tests.Authenticator;

/// <summary>
/// Writes test vectors in the shared vector schema (../shared/vectors/README.md) from a seeded
/// software authenticator on a stopped clock, so that the same code always writes the same bytes:
/// ECDSA keys and signatures (RFC 6979) and every certificate come from the seed; the TPM's AIK is
/// P-256 (an RSA AIK would be random).
/// </summary>
internal static class GeneratedVectors
{
    public const string RpId = "example.org";
    public const string Origin = "https://example.org";

    /// <summary>The instant the vectors are made and validated at.</summary>
    public static readonly DateTimeOffset MadeAt = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>The vectors: file name → generator.</summary>
    public static IReadOnlyDictionary<string, Func<string>> All { get; } = new Dictionary<string, Func<string>>(StringComparer.Ordinal)
    {
        ["compound-packed-tpm.registration.json"] = () => CompoundRegistration(AuthenticatorFaults.None),
        ["compound-missing-sub-statement.registration.json"] = () => CompoundRegistration(AuthenticatorFaults.CompoundMissingSubStatement),
    };

    /// <summary>
    /// A compound registration whose sub-statements are packed (full, x5c) and tpm (ES256 AIK),
    /// both chaining to the seeded test root; with <paramref name="fault"/> the faulty variant, which
    /// a relying party must refuse.
    /// </summary>
    public static string CompoundRegistration(AuthenticatorFaults fault)
    {
        using var authenticator = new SoftwareAuthenticator(new SoftwareAuthenticatorOptions
        {
            Seed = 2026,
            Time = new StoppedClock(MadeAt),
            Attestation = AttestationKind.Compound,
            CompoundAttestation = [AttestationKind.Packed, AttestationKind.Tpm],
            TpmAikAlgorithm = SupportedAlgorithms.ES256,
            Algorithms = [SupportedAlgorithms.ES256],
            Faults = fault,
        });
        var client = new SoftwareClient(authenticator, new SoftwareClientOptions { Origin = Origin });
        byte[] challenge = [.. Enumerable.Range(0, 32).Select(i => (byte)(0xC0 + i))];
        string options = $$"""
            {"rp":{"id":"{{RpId}}","name":"Example"},"user":{"id":"{{Base64UrlStrict.Encode("vector-user"u8)}}","name":"vector","displayName":"Vector"},
             "challenge":"{{Base64UrlStrict.Encode(challenge)}}","pubKeyCredParams":[{"type":"public-key","alg":-7}],
             "authenticatorSelection":{"residentKey":"required","userVerification":"preferred"},"attestation":"direct"}
            """;
        var response = JsonNode.Parse(client.CreateAsync(options).GetAwaiter().GetResult())!;
        byte[] attestationObject = Base64UrlStrict.Decode((string)response["response"]!["attestationObject"]!, "attestationObject");
        var authData = AttestationObject.Parse(attestationObject).AuthenticatorData;
        var credential = authData.AttestedCredentialData!;

        bool ok = fault == AuthenticatorFaults.None;
        var expected = new JsonObject { ["ok"] = ok };
        if (!ok)
        {
            expected["error"] = "compound attStmt holds one statement; §8.9 requires at least two";
        }
        expected["fmt"] = "compound";
        expected["credentialId"] = Base64UrlStrict.Encode(credential.CredentialId.Span);
        expected["aaguid"] = credential.Aaguid.ToString();
        expected["credentialPublicKey"] = Base64UrlStrict.Encode(credential.CredentialPublicKey.Encoded.Span);
        expected["alg"] = (int)credential.CredentialPublicKey.Algorithm;
        expected["algName"] = CoseAlgorithms.Name(credential.CredentialPublicKey.Algorithm);
        expected["signCount"] = authData.SignCount;
        expected["flags"] = new JsonObject { ["up"] = authData.UserPresent, ["uv"] = authData.UserVerified, ["be"] = authData.BackupEligible, ["bs"] = authData.BackupState };

        var vector = new JsonObject
        {
            ["source"] = "Passkeys software authenticator (seed 2026), tests/Passkeys.Cli.Tests/Authenticator/GeneratedVectors.cs",
            ["description"] = ok
                ? "compound attestation (WebAuthn L3 §8.9) of a full packed and a tpm statement over the same authenticatorData and clientDataHash, both chaining to the test root"
                : "compound attestation with a single sub-statement (fault compound-missing-sub-statement): must be refused",
            ["ceremony"] = "registration",
            ["rpId"] = RpId,
            ["origin"] = Origin,
            ["expectedChallenge"] = Base64UrlStrict.Encode(challenge),
            ["response"] = response,
            ["requireUserVerification"] = false,
            ["expected"] = expected,
            ["notes"] = $"Generated, not recorded: regenerate with PASSKEYS_REGENERATE_VECTORS=1 (tests/vectors/README.md). Packed x5c [leaf, intermediate] and the tpm AIK certificate (P-256 AIK) are issued by the seeded test CA at {MadeAt:yyyy-MM-ddTHH:mm:ssZ} (valid from a day before); the root is in trustAnchorsPem.",
            ["provenance"] = "library-generated",
            ["tags"] = new JsonArray(),
            ["context"] = new JsonObject
            {
                ["trustAnchorsPem"] = new JsonArray(authenticator.CertificateAuthority.RootCertificatePem),
                ["validationTime"] = MadeAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        return vector.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>The repository's tests/vectors folder (found from the test binaries upwards).</summary>
    public static string Directory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Passkeys.slnx")))
                {
                    return Path.Combine(dir.FullName, "tests", "vectors");
                }
            }
            throw new DirectoryNotFoundException("no Passkeys.slnx above " + AppContext.BaseDirectory);
        }
    }

    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
