namespace Passkeys.Attestation;

/// <summary>§8.7 "none": no attestation; the statement must be the empty map.</summary>
/// <remarks>
/// The procedure itself checks nothing (ATT-NONE-01-out), but the CDDL says attStmt is an empty
/// map, and we enforce it: a "none" statement that carries data is not what any browser sends.
/// </remarks>
public sealed class NoneAttestationVerifier : IAttestationStatementVerifier
{
    /// <inheritdoc />
    public string Format => "none";

    /// <inheritdoc />
    public AttestationStatementResult Verify(AttestationStatementInput input)
    {
        if (input.Statement.Count != 0)
        {
            throw new PasskeyException(PasskeyError.MalformedAttestationStatement,
                $"'none' attestation statement must be an empty map; it has {input.Statement.Count} entries");
        }
        // ATT-NONE-01-out
        return new AttestationStatementResult(Format, AttestationType.None, []);
    }
}
