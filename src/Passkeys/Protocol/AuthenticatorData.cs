using System.Buffers.Binary;
using Passkeys.Cose;
using Passkeys.Encoding;

namespace Passkeys.Protocol;

/// <summary>
/// Authenticator data (WebAuthn L3 §6.1): rpIdHash, flags, signCount, optional attested credential
/// data and optional extensions. Parsing checks structure only (lengths, flag/content agreement,
/// CTAP2 canonical CBOR, credential id ≤ 1023 bytes, no trailing bytes); every policy decision
/// (rpIdHash value, UP/UV, backup flags, counter) is made by the ceremonies.
/// </summary>
public sealed class AuthenticatorData
{
    /// <summary>Length of the fixed part: rpIdHash (32) + flags (1) + signCount (4).</summary>
    public const int MinimumLength = 37;

    /// <summary>WebAuthn L3 §6.5.1 / REG-25: the longest credential id accepted.</summary>
    public const int MaxCredentialIdLength = 1023;

    private AuthenticatorData(ReadOnlyMemory<byte> raw, AuthenticatorFlags flags, uint signCount,
        AttestedCredentialData? attestedCredentialData, CborMap? extensions)
    {
        Raw = raw;
        Flags = flags;
        SignCount = signCount;
        AttestedCredentialData = attestedCredentialData;
        Extensions = extensions;
    }

    /// <summary>The exact bytes, as signed by the authenticator.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>SHA-256 of the RP ID the credential is scoped to.</summary>
    public ReadOnlySpan<byte> RpIdHash => Raw.Span[..32];

    /// <summary>The flags byte.</summary>
    public AuthenticatorFlags Flags { get; }

    /// <summary>The signature counter (0 when the authenticator keeps none).</summary>
    public uint SignCount { get; }

    /// <summary>Attested credential data, present when the AT flag is set.</summary>
    public AttestedCredentialData? AttestedCredentialData { get; }

    /// <summary>Authenticator extension outputs, present when the ED flag is set.</summary>
    public CborMap? Extensions { get; }

    /// <summary>UP.</summary>
    public bool UserPresent => (Flags & AuthenticatorFlags.UserPresent) != 0;

    /// <summary>UV.</summary>
    public bool UserVerified => (Flags & AuthenticatorFlags.UserVerified) != 0;

    /// <summary>BE.</summary>
    public bool BackupEligible => (Flags & AuthenticatorFlags.BackupEligible) != 0;

    /// <summary>BS.</summary>
    public bool BackupState => (Flags & AuthenticatorFlags.BackupState) != 0;

    /// <summary>Parses authenticator data.</summary>
    /// <exception cref="PasskeyException">
    /// <see cref="PasskeyError.MalformedAuthenticatorData"/>, <see cref="PasskeyError.MalformedCbor"/>,
    /// <see cref="PasskeyError.CredentialIdTooLong"/> or a COSE key error.
    /// </exception>
    public static AuthenticatorData Parse(ReadOnlyMemory<byte> raw)
    {
        var span = raw.Span;
        if (span.Length < MinimumLength)
        {
            throw Malformed($"is {span.Length} bytes; at least {MinimumLength} are required");
        }
        var flags = (AuthenticatorFlags)span[32];
        uint signCount = BinaryPrimitives.ReadUInt32BigEndian(span[33..37]);
        int pos = MinimumLength;

        AttestedCredentialData? attested = null;
        if ((flags & AuthenticatorFlags.AttestedCredentialData) != 0)
        {
            attested = ParseAttestedCredentialData(raw, ref pos);
        }

        CborMap? extensions = null;
        if ((flags & AuthenticatorFlags.ExtensionData) != 0)
        {
            if (pos >= span.Length)
            {
                throw Malformed("has the ED flag set but no extension data");
            }
            var value = CborDecoder.DecodeFirst(raw, pos, CborConformance.Ctap2Canonical, "authenticatorData extensions", out pos);
            extensions = value as CborMap ?? throw Malformed($"extensions must be a CBOR map, not a {value.Kind}");
        }

        if (pos != span.Length)
        {
            throw Malformed($"has {span.Length - pos} trailing byte(s) at offset {pos}; flags are 0x{(byte)flags:x2}");
        }
        return new AuthenticatorData(raw, flags, signCount, attested, extensions);
    }

    private static AttestedCredentialData ParseAttestedCredentialData(ReadOnlyMemory<byte> raw, ref int pos)
    {
        var span = raw.Span;
        if (span.Length - pos < 18)
        {
            throw Malformed("has the AT flag set but is too short for an AAGUID and credential id length");
        }
        var aaguidBytes = raw.Slice(pos, 16);
        var aaguid = new Guid(aaguidBytes.Span, bigEndian: true);
        int idLength = BinaryPrimitives.ReadUInt16BigEndian(span.Slice(pos + 16, 2));
        pos += 18;
        if (idLength > MaxCredentialIdLength)
        {
            throw new PasskeyException(PasskeyError.CredentialIdTooLong,
                $"credential id is {idLength} bytes; at most {MaxCredentialIdLength} are allowed (REG-25)");
        }
        if (span.Length - pos < idLength)
        {
            throw Malformed($"declares a {idLength}-byte credential id but only {span.Length - pos} bytes remain");
        }
        var credentialId = raw.Slice(pos, idLength);
        pos += idLength;
        if (pos >= span.Length)
        {
            throw Malformed("has the AT flag set but no credential public key");
        }
        var keyValue = CborDecoder.DecodeFirst(raw, pos, CborConformance.Ctap2Canonical, "credentialPublicKey", out pos);
        var keyMap = keyValue as CborMap
            ?? throw new PasskeyException(PasskeyError.MalformedCoseKey, $"credentialPublicKey must be a CBOR map, not a {keyValue.Kind}");
        return new AttestedCredentialData(aaguid, aaguidBytes, credentialId, CosePublicKey.FromCbor(keyMap));
    }

    private static PasskeyException Malformed(string detail) =>
        new(PasskeyError.MalformedAuthenticatorData, $"authenticatorData {detail}");
}
