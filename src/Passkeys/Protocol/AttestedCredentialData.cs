using Passkeys.Cose;

namespace Passkeys.Protocol;

/// <summary>Attested credential data (WebAuthn L3 §6.5.1): AAGUID, credential id and public key.</summary>
public sealed class AttestedCredentialData
{
    internal AttestedCredentialData(Guid aaguid, ReadOnlyMemory<byte> aaguidBytes, ReadOnlyMemory<byte> credentialId, CosePublicKey credentialPublicKey)
    {
        Aaguid = aaguid;
        AaguidBytes = aaguidBytes;
        CredentialId = credentialId;
        CredentialPublicKey = credentialPublicKey;
    }

    /// <summary>The authenticator's AAGUID (big-endian bytes read as an RFC 4122 UUID).</summary>
    public Guid Aaguid { get; }

    /// <summary>The 16 AAGUID bytes exactly as sent.</summary>
    public ReadOnlyMemory<byte> AaguidBytes { get; }

    /// <summary>The credential id (at most 1023 bytes; the parser enforces it).</summary>
    public ReadOnlyMemory<byte> CredentialId { get; }

    /// <summary>The credential public key; <see cref="CosePublicKey.Encoded"/> holds its exact bytes.</summary>
    public CosePublicKey CredentialPublicKey { get; }
}
