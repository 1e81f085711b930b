using Passkeys.Attestation;
using Passkeys.Cose;

namespace Passkeys.Cli.Vectors;

/// <summary>
/// What a vector needs from this build (its credential algorithm, its attestation format, the
/// algorithms its tags name) and whether the build has it. A vector is never skipped for a
/// capability silently: the runner reports it, and `passkeys vectors` then exits non-zero.
/// </summary>
public static class VectorCapabilities
{
    // The IANA "WebAuthn Attestation Statement Format Identifiers" (WebAuthn L3 §8). A vector with
    // any other fmt tests the refusal of an unknown format, which needs no capability.
    private static readonly string[] RegisteredFormats =
        ["packed", "tpm", "android-key", "android-safetynet", "fido-u2f", "apple", "none", "compound"];

    /// <summary>Why this build cannot run <paramref name="vector"/>, or null when it can.</summary>
    public static string? Missing(TestVector vector) => Missing(vector, AttestationStatementVerifiers.Default);

    /// <summary>Why a build with the format table <paramref name="formats"/> cannot run <paramref name="vector"/>, or null.</summary>
    public static string? Missing(TestVector vector, AttestationStatementVerifiers formats)
    {
        ArgumentNullException.ThrowIfNull(formats);
        ArgumentNullException.ThrowIfNull(vector);
        var needed = new List<CoseAlgorithm>();
        if (vector.Expected.TryGetProperty("alg", out var alg) && alg.TryGetInt32(out int algValue))
        {
            needed.Add((CoseAlgorithm)algValue);
        }
        if (vector.Tags.Contains("ml-dsa"))
        {
            needed.AddRange([CoseAlgorithm.MLDsa44, CoseAlgorithm.MLDsa65, CoseAlgorithm.MLDsa87]);
        }
        if (vector.Tags.Contains("ed448"))
        {
            needed.Add(CoseAlgorithm.Ed448);
        }
        foreach (var algorithm in needed)
        {
            if (CoseAlgorithms.IsKnown(algorithm) && !CoseAlgorithms.IsSupported(algorithm))
            {
                return $"this build cannot verify {CoseAlgorithms.Name(algorithm)}";
            }
        }
        if (vector.Expected.TryGetProperty("fmt", out var fmt) && fmt.GetString() is { } format
            && RegisteredFormats.Contains(format) && !formats.Formats.Contains(format))
        {
            return $"this build has no verifier for the '{format}' attestation format";
        }
        return null;
    }
}
