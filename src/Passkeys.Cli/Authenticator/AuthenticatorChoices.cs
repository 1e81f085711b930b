using System.Text;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Crypto;

namespace Passkeys.Cli.Authenticator;

/// <summary>
/// The names the authenticator commands accept for attestation formats (`--attestation`,
/// `--compound-of`) and fault switches (`--fault`), and their translation into the software
/// authenticator's settings.
/// </summary>
internal static class AuthenticatorChoices
{
    /// <summary>--attestation names, in the order help lists them.</summary>
    public static IReadOnlyDictionary<string, AttestationKind> Attestations { get; } = new Dictionary<string, AttestationKind>(StringComparer.Ordinal)
    {
        ["none"] = AttestationKind.None,
        ["packed"] = AttestationKind.Packed,
        ["packed-self"] = AttestationKind.PackedSelf,
        ["fido-u2f"] = AttestationKind.FidoU2f,
        ["tpm"] = AttestationKind.Tpm,
        ["android-key"] = AttestationKind.AndroidKey,
        ["android-safetynet"] = AttestationKind.AndroidSafetyNet,
        ["apple"] = AttestationKind.Apple,
        ["compound"] = AttestationKind.Compound,
    };

    /// <summary>--compound-of names: every format but compound itself (§8.9 forbids nesting).</summary>
    public static IEnumerable<string> CompoundParts => Attestations.Keys.Where(k => k != "compound");

    /// <summary>export-root --attestation names: the formats whose statements carry a certificate chain.</summary>
    public static IEnumerable<string> WithRoot => Attestations.Keys.Where(k => k is not ("none" or "packed-self"));

    /// <summary>
    /// --fault names: every <see cref="AuthenticatorFaults"/> switch in kebab case
    /// (WrongRpIdHash → wrong-rp-id-hash, SafetyNetWrongNonce → safetynet-wrong-nonce).
    /// </summary>
    public static IReadOnlyDictionary<string, AuthenticatorFaults> Faults { get; } =
        Enum.GetValues<AuthenticatorFaults>().Where(f => f != AuthenticatorFaults.None)
            .ToDictionary(f => Kebab(f.ToString()), f => f, StringComparer.Ordinal);

    public static AttestationKind Attestation(string name) =>
        Attestations.TryGetValue(name, out var kind) ? kind : throw new CliException($"--attestation must be one of {string.Join(", ", Attestations.Keys)}, not '{name}'");

    /// <summary>The --compound-of kinds; packed and tpm when none are named.</summary>
    public static IReadOnlyList<AttestationKind> Compound(IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0)
        {
            return AttestationKinds.DefaultCompound;
        }
        var kinds = names.Select(Attestation).ToList();
        if (kinds.Count < 2 || kinds.Contains(AttestationKind.Compound))
        {
            throw new CliException($"--compound-of needs at least two formats, none of them compound (one of {string.Join(", ", CompoundParts)}), not [{string.Join(", ", names)}]");
        }
        return kinds;
    }

    /// <summary>--attestation-alg names: the algorithms of a packed attestation key, in the order help lists them.</summary>
    public static IReadOnlyDictionary<string, int> AttestationAlgorithms { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["ES256"] = SupportedAlgorithms.ES256,
        ["ML-DSA-44"] = SupportedAlgorithms.MLDsa44,
        ["ML-DSA-65"] = SupportedAlgorithms.MLDsa65,
        ["ML-DSA-87"] = SupportedAlgorithms.MLDsa87,
    };

    /// <summary>
    /// The packed attestation key's COSE algorithm for `--attestation-alg` (ES256 when not given). Only
    /// full packed attestation, alone or inside compound, has an attestation key whose algorithm can be
    /// chosen, so naming one for another format is refused rather than silently ignored.
    /// </summary>
    public static int AttestationAlgorithm(string? name, AttestationKind kind, IReadOnlyList<AttestationKind> compound)
    {
        if (name is null)
        {
            return SupportedAlgorithms.ES256;
        }
        if (!AttestationAlgorithms.TryGetValue(name, out int algorithm))
        {
            throw new CliException($"--attestation-alg must be one of {string.Join(", ", AttestationAlgorithms.Keys)}, not '{name}'");
        }
        bool hasPackedKey = kind == AttestationKind.Packed || (kind == AttestationKind.Compound && compound.Contains(AttestationKind.Packed));
        return hasPackedKey
            ? algorithm
            : throw new CliException($"--attestation-alg chooses the key of packed attestation (--attestation packed, or compound with packed among --compound-of), not of '{Attestations.First(a => a.Value == kind).Key}'");
    }

    /// <summary>The union of the named faults.</summary>
    public static AuthenticatorFaults FaultSet(IReadOnlyList<string>? names)
    {
        var faults = AuthenticatorFaults.None;
        foreach (string name in names ?? [])
        {
            faults |= Faults.TryGetValue(name, out var fault)
                ? fault
                : throw new CliException($"--fault '{name}' is not a fault switch; valid ones: {string.Join(", ", Faults.Keys)}");
        }
        return faults;
    }

    private static string Kebab(string pascal)
    {
        string text = pascal.Replace("SafetyNet", "Safetynet", StringComparison.Ordinal);
        var result = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsUpper(c) && i > 0)
            {
                result.Append('-');
            }
            result.Append(char.ToLowerInvariant(c));
        }
        return result.ToString();
    }
}
