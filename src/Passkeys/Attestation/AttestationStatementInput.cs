using Passkeys.Encoding;
using Passkeys.Protocol;

namespace Passkeys.Attestation;

/// <summary>
/// What a format's verification procedure (WebAuthn L3 §8) receives: the statement, the
/// authenticator data it covers and the client data hash, plus the policy options that some
/// formats need (RS1, SafetyNet freshness, Android enforcement).
/// </summary>
public sealed class AttestationStatementInput
{
    /// <summary>Creates the input for one attestation statement.</summary>
    public AttestationStatementInput(string format, CborMap statement, AuthenticatorData authenticatorData,
        ReadOnlyMemory<byte> clientDataHash, AttestationVerificationOptions options, TimeProvider timeProvider)
    {
        Format = format;
        Statement = statement;
        AuthenticatorData = authenticatorData;
        ClientDataHash = clientDataHash;
        Options = options;
        TimeProvider = timeProvider;
    }

    /// <summary>The format identifier ("packed", "tpm", …).</summary>
    public string Format { get; }

    /// <summary>The attStmt map.</summary>
    public CborMap Statement { get; }

    /// <summary>The parsed authenticator data; <see cref="Protocol.AuthenticatorData.Raw"/> holds its signed bytes.</summary>
    public AuthenticatorData AuthenticatorData { get; }

    /// <summary>The attested credential data (registration always has it; the ceremony checks first).</summary>
    public AttestedCredentialData Credential =>
        AuthenticatorData.AttestedCredentialData
        ?? throw new PasskeyException(PasskeyError.AttestedCredentialDataMissing, "authenticatorData has no attested credential data");

    /// <summary>SHA-256 of clientDataJSON.</summary>
    public ReadOnlyMemory<byte> ClientDataHash { get; }

    /// <summary>Verification options that formats consult.</summary>
    public AttestationVerificationOptions Options { get; }

    /// <summary>The clock for freshness checks.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>authenticatorData ‖ clientDataHash: the bytes most formats sign (attToBeSigned).</summary>
    public byte[] SignedData()
    {
        var raw = AuthenticatorData.Raw.Span;
        var signed = new byte[raw.Length + ClientDataHash.Length];
        raw.CopyTo(signed);
        ClientDataHash.Span.CopyTo(signed.AsSpan(raw.Length));
        return signed;
    }
}
