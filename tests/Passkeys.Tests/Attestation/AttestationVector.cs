using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Passkeys.Attestation;
using Passkeys.Encoding;
using Passkeys.Protocol;

namespace Passkeys.Tests.Attestation;

/// <summary>A registration vector from ../shared/vectors, decoded far enough to run one attestation verifier.</summary>
internal sealed class AttestationVector
{
    public required string Name { get; init; }
    public required JsonElement Json { get; init; }
    public required string Format { get; init; }
    public required CborMap AttestationObject { get; init; }
    public required CborValue Statement { get; init; }
    public required AuthenticatorData AuthenticatorData { get; init; }
    public required byte[] ClientDataHash { get; init; }
    public required AttestationVerificationOptions Options { get; init; }
    public required TimeProvider Time { get; init; }
    public required IReadOnlyList<X509Certificate2> TrustAnchors { get; init; }
    public bool ExpectedOk => Json.GetProperty("expected").GetProperty("ok").GetBoolean();
    public IReadOnlyList<string> Tags => Json.TryGetProperty("tags", out var t) ? [.. t.EnumerateArray().Select(x => x.GetString()!)] : [];

    public static IEnumerable<string> Names(params string[] formats)
    {
        if (SharedData.Directory is null)
        {
            yield return "(shared data absent)";
            yield break;
        }
        var root = SharedData.Path("vectors");
        foreach (var file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            var json = doc.RootElement;
            if (json.GetProperty("ceremony").GetString() != "registration")
            {
                continue;
            }
            var expected = json.GetProperty("expected");
            if (expected.TryGetProperty("fmt", out var fmt) && formats.Contains(fmt.GetString()))
            {
                yield return Path.GetRelativePath(root, file);
            }
        }
    }

    public static AttestationVector Load(string name)
    {
        var json = JsonDocument.Parse(File.ReadAllBytes(SharedData.Path("vectors", name))).RootElement;
        var response = json.GetProperty("response").GetProperty("response");
        byte[] attestationObject = Base64UrlStrict.Decode(response.GetProperty("attestationObject").GetString(), "attestationObject");
        byte[] clientDataJson = Base64UrlStrict.Decode(response.GetProperty("clientDataJSON").GetString(), "clientDataJSON");
        var map = Cbor.AsMap(CborDecoder.Decode(attestationObject, CborConformance.Lax, "attestationObject"), PasskeyError.MalformedAttestationObject, "attestationObject");
        var authData = AuthenticatorData.Parse(Cbor.AsBytes(map["authData"], PasskeyError.MalformedAttestationObject, "authData"));
        var options = new AttestationVerificationOptions();
        TimeProvider time = TimeProvider.System;
        var anchors = new List<X509Certificate2>();
        if (json.TryGetProperty("context", out var context))
        {
            if (context.TryGetProperty("allowRs1", out var rs1)) options.AllowRs1 = rs1.GetBoolean();
            if (context.TryGetProperty("safetyNetEnforceCtsProfileMatch", out var cts)) options.SafetyNetRequireCtsProfileMatch = cts.GetBoolean();
            if (context.TryGetProperty("safetyNetSkipTimestampCheck", out var skip)) options.DangerouslySkipSafetyNetTimestampCheck = skip.GetBoolean();
            if (context.TryGetProperty("validationTime", out var at)) time = new FixedTimeProvider(DateTimeOffset.Parse(at.GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            if (context.TryGetProperty("trustAnchorsPem", out var pems))
            {
                foreach (var pem in pems.EnumerateArray())
                {
                    anchors.Add(X509Certificate2.CreateFromPem(pem.GetString()));
                }
            }
        }
        return new AttestationVector
        {
            Name = name,
            Json = json,
            Format = Cbor.AsText(map["fmt"], PasskeyError.MalformedAttestationObject, "fmt"),
            AttestationObject = map,
            Statement = map["attStmt"]!,
            AuthenticatorData = authData,
            ClientDataHash = SHA256.HashData(clientDataJson),
            Options = options,
            Time = time,
            TrustAnchors = anchors,
        };
    }

    public AttestationStatementInput Input(CborMap? statement = null, AuthenticatorData? authenticatorData = null, byte[]? clientDataHash = null) =>
        new(Format, statement ?? (CborMap)Statement, authenticatorData ?? AuthenticatorData, clientDataHash ?? ClientDataHash, Options, Time);
}

/// <summary>A clock stopped at one instant.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
