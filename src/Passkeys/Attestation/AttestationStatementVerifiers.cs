using System.Collections.Frozen;

namespace Passkeys.Attestation;

/// <summary>
/// The table of supported attestation statement formats (WebAuthn L3 §8, IANA "WebAuthn Attestation
/// Statement Format Identifiers"). Lookup is exact and case-sensitive, as REG-21 requires.
/// </summary>
public sealed class AttestationStatementVerifiers
{
    private readonly FrozenDictionary<string, IAttestationStatementVerifier> _byFormat;

    /// <summary>Creates a table from the given verifiers (one per format).</summary>
    public AttestationStatementVerifiers(IEnumerable<IAttestationStatementVerifier> verifiers)
    {
        var map = new Dictionary<string, IAttestationStatementVerifier>(StringComparer.Ordinal);
        foreach (var verifier in verifiers)
        {
            if (!map.TryAdd(verifier.Format, verifier))
            {
                throw new ArgumentException($"Two verifiers for attestation format '{verifier.Format}'", nameof(verifiers));
            }
        }
        _byFormat = map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Every format this library implements.</summary>
    public static AttestationStatementVerifiers Default { get; } = new(CreateDefaultVerifiers());

    /// <summary>The supported format identifiers.</summary>
    public IEnumerable<string> Formats => _byFormat.Keys;

    /// <summary>REG-21: the verifier for <paramref name="format"/>, matched exactly.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.UnsupportedAttestationFormat"/>.</exception>
    public IAttestationStatementVerifier Get(string format) =>
        _byFormat.TryGetValue(format, out var verifier)
            ? verifier
            : throw new PasskeyException(PasskeyError.UnsupportedAttestationFormat,
                $"attestation format '{format}' is not one of: {string.Join(", ", _byFormat.Keys.Order(StringComparer.Ordinal))} (REG-21)");

    private static IEnumerable<IAttestationStatementVerifier> CreateDefaultVerifiers()
    {
        yield return new NoneAttestationVerifier();
        yield return new PackedAttestationVerifier();
        yield return new FidoU2fAttestationVerifier();
        yield return new TpmAttestationVerifier();
        yield return new AndroidKeyAttestationVerifier();
        yield return new AndroidSafetyNetAttestationVerifier();
        yield return new AppleAttestationVerifier();
        // Sub-statements resolve through the finished default table (compound itself is refused there).
        yield return new CompoundAttestationVerifier(format => Default.Get(format));
    }
}
