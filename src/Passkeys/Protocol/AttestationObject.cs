using Passkeys.Encoding;

namespace Passkeys.Protocol;

/// <summary>
/// The attestation object (WebAuthn L3 §6.5.4): fmt, attStmt and authData. Read in lax CBOR because
/// clients re-encode it in their own ways (one real browser sends an indefinite-length map); the
/// authenticator data inside is still held to CTAP2 canonical form by <see cref="AuthenticatorData.Parse"/>.
/// </summary>
/// <param name="Format">The fmt member.</param>
/// <param name="Statement">The attStmt map.</param>
/// <param name="AuthenticatorData">The parsed authData.</param>
public sealed record AttestationObject(string Format, CborMap Statement, AuthenticatorData AuthenticatorData)
{
    /// <summary>REG-13: decodes the attestation object.</summary>
    /// <exception cref="PasskeyException">MalformedCbor, MalformedAttestationObject or an authenticator data error.</exception>
    public static AttestationObject Parse(ReadOnlyMemory<byte> attestationObject)
    {
        var map = Cbor.AsMap(CborDecoder.Decode(attestationObject, CborConformance.Lax, "attestationObject"),
            PasskeyError.MalformedAttestationObject, "attestationObject");
        string format = Cbor.AsText(map["fmt"], PasskeyError.MalformedAttestationObject, "attestationObject.fmt");
        var statement = Cbor.AsMap(map["attStmt"], PasskeyError.MalformedAttestationObject, "attestationObject.attStmt");
        var authData = Cbor.AsBytes(map["authData"], PasskeyError.MalformedAttestationObject, "attestationObject.authData");
        return new AttestationObject(format, statement, Protocol.AuthenticatorData.Parse(authData));
    }
}
