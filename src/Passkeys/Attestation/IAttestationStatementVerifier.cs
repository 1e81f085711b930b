namespace Passkeys.Attestation;

/// <summary>One attestation statement format's verification procedure (WebAuthn L3 §8.x).</summary>
public interface IAttestationStatementVerifier
{
    /// <summary>The format identifier this verifier handles, matched exactly and case-sensitively (REG-21).</summary>
    string Format { get; }

    /// <summary>
    /// Runs the format's verification procedure. Returns the attestation type and trust path, or throws
    /// <see cref="PasskeyException"/> with a 3xx <see cref="PasskeyError"/> naming the failed step.
    /// </summary>
    AttestationStatementResult Verify(AttestationStatementInput input);
}
