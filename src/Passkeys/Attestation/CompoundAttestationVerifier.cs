using Passkeys.Encoding;
using Passkeys.Protocol;

namespace Passkeys.Attestation;

/// <summary>
/// §8.9 "compound" (new in WebAuthn L3): several attestation statements over the same
/// authenticator data and client data hash.
/// </summary>
/// <remarks>
/// Policy (ATT-COMPOUND-01/02 leave it to the RP): <b>every</b> sub-statement must verify; one
/// failure fails the whole statement, so an attacker cannot pad a forged statement with a genuine
/// one. The result's <see cref="AttestationStatementResult.Components"/> holds each sub-result; its
/// own type and trust path are those of the first component, and trust (REG-24) should be judged
/// per component.
/// <para>compound's attStmt is a CBOR <i>array</i>, which <see cref="AttestationStatementInput.Statement"/>
/// (a map) cannot hold: callers pass the array to <see cref="VerifyCompound"/>.</para>
/// </remarks>
public sealed class CompoundAttestationVerifier : IAttestationStatementVerifier
{
    private readonly Func<string, IAttestationStatementVerifier> _resolve;

    /// <summary>Creates a compound verifier that resolves sub-formats through <paramref name="resolve"/>.</summary>
    public CompoundAttestationVerifier(Func<string, IAttestationStatementVerifier> resolve) => _resolve = resolve;

    /// <inheritdoc />
    public string Format => "compound";

    /// <summary>Always fails: a compound attStmt is an array, not a map; use <see cref="VerifyCompound"/>.</summary>
    public AttestationStatementResult Verify(AttestationStatementInput input) =>
        throw new PasskeyException(PasskeyError.MalformedAttestationStatement,
            "compound attStmt must be an array of {fmt, attStmt} maps, not a map (ATT-COMPOUND-00-syntax)");

    /// <summary>Verifies a compound attStmt (the CBOR array) against the same authenticator data and client data hash.</summary>
    public AttestationStatementResult VerifyCompound(CborValue attStmt, AuthenticatorData authenticatorData,
        ReadOnlyMemory<byte> clientDataHash, AttestationVerificationOptions options, TimeProvider timeProvider)
    {
        // ATT-COMPOUND-00-syntax: at least two {fmt, attStmt} entries, none of them compound.
        var items = Cbor.AsArray(attStmt, PasskeyError.MalformedAttestationStatement, "compound attStmt");
        if (items.Count < 2)
        {
            throw new PasskeyException(PasskeyError.MalformedAttestationStatement,
                $"compound attStmt holds {items.Count} statement(s); at least 2 are required (ATT-COMPOUND-00-syntax)");
        }
        var components = new List<AttestationStatementResult>(items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            var entry = Cbor.AsMap(items[i], PasskeyError.MalformedAttestationStatement, $"compound attStmt[{i}]");
            string fmt = Cbor.AsText(entry["fmt"], PasskeyError.MalformedAttestationStatement, $"compound attStmt[{i}].fmt");
            if (string.Equals(fmt, Format, StringComparison.Ordinal))
            {
                throw new PasskeyException(PasskeyError.MalformedAttestationStatement,
                    $"compound attStmt[{i}] is itself compound; nesting is not allowed (ATT-COMPOUND-00-syntax)");
            }
            var statement = Cbor.AsMap(entry["attStmt"], PasskeyError.MalformedAttestationStatement, $"compound attStmt[{i}].attStmt");
            if (entry.Count != 2)
            {
                throw new PasskeyException(PasskeyError.MalformedAttestationStatement,
                    $"compound attStmt[{i}] has {entry.Count} members; only fmt and attStmt are allowed (ATT-COMPOUND-00-syntax)");
            }
            // ATT-COMPOUND-01-each: each by its own procedure, same authData and cdh; any failure fails all.
            var verifier = _resolve(fmt);
            components.Add(verifier.Verify(new AttestationStatementInput(fmt, statement, authenticatorData, clientDataHash, options, timeProvider)));
        }
        // ATT-COMPOUND-02-enough: all verified; return them all.
        return new AttestationStatementResult(Format, components[0].Type, components[0].TrustPath) { Components = components };
    }
}
