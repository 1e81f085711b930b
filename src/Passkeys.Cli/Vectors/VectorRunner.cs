using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Passkeys.Ceremonies;
using Passkeys.Cose;
using Passkeys.Encoding;
using Passkeys.Protocol;

namespace Passkeys.Cli.Vectors;

/// <summary>How a vector behaved.</summary>
public enum VectorStatus
{
    /// <summary>The outcome matched <c>expected</c>.</summary>
    Passed,
    /// <summary>The outcome differed.</summary>
    Failed,
    /// <summary>Not run; <see cref="VectorResult.Skip"/> says why.</summary>
    Skipped,
}

/// <summary>Why a vector was not run.</summary>
public enum VectorSkip
{
    /// <summary>It was run.</summary>
    None,
    /// <summary>
    /// It depends on an online revocation (CRL) lookup and the run is offline: acceptable, and said
    /// so. Run with online revocation checking to include it.
    /// </summary>
    Offline,
    /// <summary>It needs an algorithm or attestation format this build lacks: a defect, never a pass.</summary>
    MissingCapability,
}

/// <summary>The result of running one vector.</summary>
/// <param name="Vector">The vector.</param>
/// <param name="Status">Passed, failed or skipped.</param>
/// <param name="Actual">What happened: "ok" or the error code.</param>
/// <param name="Detail">Why it failed or was skipped.</param>
public sealed record VectorResult(TestVector Vector, VectorStatus Status, string Actual, string Detail)
{
    /// <summary>Why it was skipped; <see cref="VectorSkip.None"/> unless <see cref="Status"/> is Skipped.</summary>
    public VectorSkip Skip { get; init; }
}

/// <summary>
/// Runs a test vector through the library exactly as a relying party would: options built from the
/// vector's rpId, origin and context, state from its expected challenge, then FinishRegistration or
/// FinishAuthentication, and the result compared with <c>expected</c>.
/// </summary>
public static class VectorRunner
{
    private static readonly CoseAlgorithm[] AllAlgorithms = Enum.GetValues<CoseAlgorithm>();

    /// <summary>Runs one vector.</summary>
    /// <param name="vector">The vector.</param>
    /// <param name="online">
    /// Check attestation revocation online for vectors tagged <c>requires-revocation-check</c>;
    /// when false (offline), those are skipped as <see cref="VectorSkip.Offline"/>.
    /// </param>
    public static VectorResult Run(TestVector vector, bool online = false)
    {
        ArgumentNullException.ThrowIfNull(vector);
        bool needsRevocation = vector.Tags.Contains("requires-revocation-check");
        if (needsRevocation && !online)
        {
            return new(vector, VectorStatus.Skipped, "-", "offline: its refusal depends on an online CRL lookup (run with --online to check revocation)")
            {
                Skip = VectorSkip.Offline,
            };
        }
        if (VectorCapabilities.Missing(vector) is { } missing)
        {
            return new(vector, VectorStatus.Skipped, "-", missing) { Skip = VectorSkip.MissingCapability };
        }
        string actual;
        string detail = "";
        try
        {
            detail = vector.Ceremony == "registration" ? RunRegistration(vector, needsRevocation) : RunAuthentication(vector);
            actual = "ok";
        }
        catch (PasskeyException e)
        {
            actual = e.Error.ToString();
            detail = e.Detail;
        }
        bool passed = vector.ExpectedOk ? actual == "ok" && detail.Length == 0 : actual != "ok";
        if (vector.ExpectedOk && actual == "ok" && detail.Length > 0)
        {
            actual = "ok (different result)";
        }
        return new(vector, passed ? VectorStatus.Passed : VectorStatus.Failed, actual, detail);
    }

    private static RelyingParty CreateRelyingParty(TestVector vector, out TimeProvider time, bool checkRevocation = false)
    {
        time = vector.TryContext("validationTime", out var t) && t.GetString() is { } iso
            ? new FixedTimeProvider(DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture))
            : TimeProvider.System;
        var options = new RelyingPartyOptions
        {
            RpId = vector.RpId,
            RpName = "test vector",
            Origins = [vector.Origin],
            Algorithms = AllAlgorithms,
            AllowCrossOrigin = vector.TryContext("allowCrossOrigin", out var co) && co.ValueKind == JsonValueKind.True,
            CheckAttestationRevocation = checkRevocation,
        };
        if (vector.TryContext("allowedTopOrigins", out var tops))
        {
            options.AllowedTopOrigins = [.. tops.EnumerateArray().Select(x => x.GetString()!)];
        }
        if (vector.TryContext("trustAnchorsPem", out var pems))
        {
            options.TrustAnchors = [.. pems.EnumerateArray().Select(p => X509Certificate2.CreateFromPem(p.GetString()))];
        }
        options.AttestationVerification.AllowRs1 = vector.TryContext("allowRs1", out var rs1) && rs1.ValueKind == JsonValueKind.True;
        options.AttestationVerification.SafetyNetRequireCtsProfileMatch =
            !(vector.TryContext("safetyNetEnforceCtsProfileMatch", out var cts) && cts.ValueKind == JsonValueKind.False);
        options.AttestationVerification.DangerouslySkipSafetyNetTimestampCheck =
            vector.TryContext("safetyNetSkipTimestampCheck", out var skip) && skip.ValueKind == JsonValueKind.True;
        return new RelyingParty(options, time);
    }

    private static string RunRegistration(TestVector vector, bool checkRevocation)
    {
        var rp = CreateRelyingParty(vector, out var time, checkRevocation);
        var state = new RegistrationState
        {
            Challenge = ExpectedChallenge(vector),
            RpId = vector.RpId,
            UserId = [1],
            UserName = "vector",
            DisplayName = "vector",
            UserVerification = vector.RequireUserVerification ? UserVerificationRequirement.Required : UserVerificationRequirement.Preferred,
            Algorithms = [.. AllAlgorithms.Select(a => (int)a)],
            ConditionalCreate = vector.TryContext("requireUserPresence", out var up) && up.ValueKind == JsonValueKind.False,
            ExpiresAt = time.GetUtcNow().AddMinutes(5),
        };
        var result = rp.FinishRegistration(vector.Response.GetRawText(), state);
        if (!vector.ExpectedOk)
        {
            return "";
        }
        var expected = vector.Expected;
        var differences = new List<string>();
        Compare(differences, "fmt", expected, result.Attestation.Format);
        Compare(differences, "credentialId", expected, Base64UrlStrict.Encode(result.Credential.Id));
        Compare(differences, "credentialPublicKey", expected, Base64UrlStrict.Encode(result.Credential.PublicKey));
        Compare(differences, "aaguid", expected, result.Credential.Aaguid.ToString());
        Compare(differences, "alg", expected, (int)result.Credential.Algorithm);
        Compare(differences, "signCount", expected, (long)result.Credential.SignCount);
        CompareFlags(differences, expected, result.AuthenticatorData);
        return string.Join("; ", differences);
    }

    private static string RunAuthentication(TestVector vector)
    {
        var rp = CreateRelyingParty(vector, out var time);
        var response = AuthenticationResponse.Parse(vector.Response.GetRawText());
        byte[] publicKey = Base64UrlStrict.Decode(vector.Root.GetProperty("credentialPublicKey").GetString(), "credentialPublicKey");
        var authData = AuthenticatorData.Parse(response.AuthenticatorData);
        byte[] userHandle = response.UserHandle?.ToArray() ?? [1];
        var record = new CredentialRecord
        {
            Id = response.CredentialId.ToArray(),
            UserHandle = userHandle,
            PublicKey = publicKey,
            Algorithm = CosePublicKey.Decode(publicKey).Algorithm,
            SignCount = vector.Root.TryGetProperty("storedSignCount", out var stored) && stored.ValueKind == JsonValueKind.Number ? stored.GetUInt32() : 0,
            // The corpus does not record BE at registration; take it from this assertion so that
            // AUTH-19 (BE unchanged) is not what decides a vector about something else.
            BackupEligible = authData.BackupEligible,
        };
        var state = new AuthenticationState
        {
            Challenge = ExpectedChallenge(vector),
            RpId = vector.RpId,
            UserHandle = response.UserHandle is null ? userHandle : null,
            UserVerification = vector.RequireUserVerification ? UserVerificationRequirement.Required : UserVerificationRequirement.Preferred,
            ExpiresAt = time.GetUtcNow().AddMinutes(5),
        };
        var result = rp.FinishAuthentication(response, state, record);
        if (!vector.ExpectedOk)
        {
            return "";
        }
        var differences = new List<string>();
        Compare(differences, "signCount", vector.Expected, (long)result.SignCount);
        CompareFlags(differences, vector.Expected, authData);
        return string.Join("; ", differences);
    }

    /// <summary>
    /// The challenge bytes the RP issued. Two upstream vectors use a made-up text that is not a
    /// canonical base64url encoding; no challenge the RP could have issued encodes to it, so its
    /// UTF-8 bytes stand in (and the response's challenge cannot match them, as those vectors expect).
    /// </summary>
    private static byte[] ExpectedChallenge(TestVector vector) =>
        Base64UrlStrict.IsValid(vector.ExpectedChallenge) && TryDecode(vector.ExpectedChallenge) is { } bytes
            ? bytes
            : System.Text.Encoding.UTF8.GetBytes(vector.ExpectedChallenge);

    private static byte[]? TryDecode(string text)
    {
        try
        {
            return Base64UrlStrict.Decode(text, "expectedChallenge");
        }
        catch (PasskeyException)
        {
            return null;
        }
    }

    private static void Compare(List<string> differences, string name, JsonElement expected, object actual)
    {
        if (!expected.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        string want = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        string got = Convert.ToString(actual, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        if (!string.Equals(want, got, StringComparison.OrdinalIgnoreCase))
        {
            differences.Add($"{name}: expected {want}, got {got}");
        }
    }

    private static void CompareFlags(List<string> differences, JsonElement expected, AuthenticatorData authData)
    {
        if (!expected.TryGetProperty("flags", out var flags))
        {
            return;
        }
        void One(string name, bool actual)
        {
            if (flags.TryGetProperty(name, out var f) && (f.ValueKind == JsonValueKind.True) != actual)
            {
                differences.Add($"flags.{name}: expected {f.GetRawText()}, got {actual.ToString().ToLowerInvariant()}");
            }
        }
        One("up", authData.UserPresent);
        One("uv", authData.UserVerified);
        One("be", authData.BackupEligible);
        One("bs", authData.BackupState);
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
