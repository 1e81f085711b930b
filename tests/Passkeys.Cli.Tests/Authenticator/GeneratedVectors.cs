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
/// ECDSA keys and signatures (RFC 6979), ML-DSA keys and (deterministic) signatures and every
/// certificate come from the seed; the TPM's AIK is
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
        ["packed-ml-dsa-44.registration.json"] = () => PackedMLDsaRegistration(AuthenticatorFaults.None),
        ["packed-ml-dsa-44-signature-over-wrong-bytes.registration.json"] = () => PackedMLDsaRegistration(AuthenticatorFaults.SignatureOverWrongBytes),
    };

    /// <summary>
    /// A compound registration whose sub-statements are packed (full, x5c) and tpm (ES256 AIK),
    /// both chaining to the seeded test root; with <paramref name="fault"/> the faulty variant, which
    /// a relying party must refuse.
    /// </summary>
    public static string CompoundRegistration(AuthenticatorFaults fault)
    {
        bool ok = fault == AuthenticatorFaults.None;
        return Registration(
            new SoftwareAuthenticatorOptions
            {
                Seed = 2026,
                Time = new StoppedClock(MadeAt),
                Attestation = AttestationKind.Compound,
                CompoundAttestation = [AttestationKind.Packed, AttestationKind.Tpm],
                TpmAikAlgorithm = SupportedAlgorithms.ES256,
                Algorithms = [SupportedAlgorithms.ES256],
                Faults = fault,
            },
            "compound",
            ok ? null : "compound attStmt holds one statement; §8.9 requires at least two",
            ok
                ? "compound attestation (WebAuthn L3 §8.9) of a full packed and a tpm statement over the same authenticatorData and clientDataHash, both chaining to the test root"
                : "compound attestation with a single sub-statement (fault compound-missing-sub-statement): must be refused",
            "Packed x5c [leaf, intermediate] and the tpm AIK certificate (P-256 AIK) are issued");
    }

    /// <summary>
    /// A fully post-quantum registration: an ML-DSA-44 credential with full packed attestation whose
    /// statement is ML-DSA-44 too (attStmt.alg −48, x5c[0] an ML-DSA-44 key certified by the seeded
    /// test CA's ECDSA intermediate). ML-DSA signs deterministically when seeded. With
    /// <paramref name="fault"/> the statement signs other bytes, which a relying party must refuse.
    /// </summary>
    public static string PackedMLDsaRegistration(AuthenticatorFaults fault)
    {
        bool ok = fault == AuthenticatorFaults.None;
        return Registration(
            new SoftwareAuthenticatorOptions
            {
                Seed = 2026,
                Time = new StoppedClock(MadeAt),
                Attestation = AttestationKind.Packed,
                AttestationAlgorithm = SupportedAlgorithms.MLDsa44,
                Algorithms = [SupportedAlgorithms.MLDsa44],
                Faults = fault,
            },
            "packed",
            ok ? null : "the ML-DSA-44 attestation signature covers other bytes than authenticatorData ‖ clientDataHash",
            ok
                ? "full packed attestation (WebAuthn L3 §8.2) whose statement is ML-DSA-44 (alg -48, x5c [ML-DSA-44 attestation certificate, ECDSA intermediate]) for an ML-DSA-44 credential, chaining to the test root"
                : "full packed ML-DSA-44 attestation whose sig is over other bytes (fault signature-over-wrong-bytes): must be refused",
            "Packed x5c [leaf with an ML-DSA-44 key (RFC 9881), intermediate] is issued");
    }

    private static string Registration(SoftwareAuthenticatorOptions options, string fmt, string? error, string description, string certificates)
    {
        using var authenticator = new SoftwareAuthenticator(options);
        var client = new SoftwareClient(authenticator, new SoftwareClientOptions { Origin = Origin });
        byte[] challenge = [.. Enumerable.Range(0, 32).Select(i => (byte)(0xC0 + i))];
        string algs = string.Join(",", options.Algorithms.Select(a => $$"""{"type":"public-key","alg":{{a}}}"""));
        string creationOptions = $$"""
            {"rp":{"id":"{{RpId}}","name":"Example"},"user":{"id":"{{Base64UrlStrict.Encode("vector-user"u8)}}","name":"vector","displayName":"Vector"},
             "challenge":"{{Base64UrlStrict.Encode(challenge)}}","pubKeyCredParams":[{{algs}}],
             "authenticatorSelection":{"residentKey":"required","userVerification":"preferred"},"attestation":"direct"}
            """;
        var response = JsonNode.Parse(client.CreateAsync(creationOptions).GetAwaiter().GetResult())!;
        byte[] attestationObject = Base64UrlStrict.Decode((string)response["response"]!["attestationObject"]!, "attestationObject");
        var authData = AttestationObject.Parse(attestationObject).AuthenticatorData;
        var credential = authData.AttestedCredentialData!;

        var expected = new JsonObject { ["ok"] = error is null };
        if (error is not null)
        {
            expected["error"] = error;
        }
        expected["fmt"] = fmt;
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
            ["description"] = description,
            ["ceremony"] = "registration",
            ["rpId"] = RpId,
            ["origin"] = Origin,
            ["expectedChallenge"] = Base64UrlStrict.Encode(challenge),
            ["response"] = response,
            ["requireUserVerification"] = false,
            ["expected"] = expected,
            ["notes"] = $"Generated, not recorded: regenerate with PASSKEYS_REGENERATE_VECTORS=1 (tests/vectors/README.md). {certificates} by the seeded test CA at {MadeAt:yyyy-MM-ddTHH:mm:ssZ} (valid from a day before); the root is in trustAnchorsPem.",
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
