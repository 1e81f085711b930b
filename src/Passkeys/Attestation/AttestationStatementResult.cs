using System.Security.Cryptography.X509Certificates;

namespace Passkeys.Attestation;

/// <summary>
/// The output of a format's verification procedure: the attestation type and trust path
/// (WebAuthn L3 §8). Whether the trust path ends at an acceptable root is decided separately,
/// by <see cref="AttestationTrust"/> (REG-23/REG-24).
/// </summary>
/// <param name="Format">The format that produced this result.</param>
/// <param name="Type">The attestation type.</param>
/// <param name="TrustPath">The x5c chain, leaf first; empty for None and Self.</param>
public sealed record AttestationStatementResult(string Format, AttestationType Type, IReadOnlyList<X509Certificate2> TrustPath)
{
    /// <summary>Sub-results of a compound statement (WebAuthn L3 §8.9); empty otherwise.</summary>
    public IReadOnlyList<AttestationStatementResult> Components { get; init; } = [];
}
