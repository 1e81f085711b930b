using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Passkeys.Authenticator;

/// <summary>
/// Lays out authenticator data (WebAuthn Level 3 §6.1): rpIdHash(32) ‖ flags(1) ‖ signCount(4, big-endian)
/// ‖ [attestedCredentialData: aaguid(16) ‖ credentialIdLength(2) ‖ credentialId ‖ COSE key] ‖ [extensions].
/// </summary>
internal static class AuthenticatorDataBuilder
{
    public const byte UserPresent = 0x01;
    public const byte UserVerified = 0x04;
    public const byte BackupEligible = 0x08;
    public const byte BackupState = 0x10;
    public const byte AttestedCredentialData = 0x40;
    public const byte ExtensionData = 0x80;

    /// <summary>SHA-256 of the RP ID, or with <see cref="AuthenticatorFaults.WrongRpIdHash"/> that hash with its first byte inverted.</summary>
    public static byte[] RpIdHash(string rpId, AuthenticatorFaults faults)
    {
        byte[] hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(rpId));
        if (faults.HasFlag(AuthenticatorFaults.WrongRpIdHash))
        {
            hash[0] ^= 0xFF;
        }
        return hash;
    }

    public static byte[] Build(
        byte[] rpIdHash, byte flags, uint signCount,
        (Guid Aaguid, byte[] CredentialId, byte[] CoseKey)? attested, byte[]? extensions, bool trailingByte)
    {
        if (attested is not null)
        {
            flags |= AttestedCredentialData;
        }
        if (extensions is not null)
        {
            flags |= ExtensionData;
        }
        using var stream = new MemoryStream();
        stream.Write(rpIdHash);
        stream.WriteByte(flags);
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(four, signCount);
        stream.Write(four);
        if (attested is var (aaguid, credentialId, coseKey))
        {
            stream.Write(aaguid.ToByteArray(bigEndian: true));
            Span<byte> two = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(two, checked((ushort)credentialId.Length));
            stream.Write(two);
            stream.Write(credentialId);
            stream.Write(coseKey);
        }
        if (extensions is not null)
        {
            stream.Write(extensions);
        }
        if (trailingByte)
        {
            stream.WriteByte(0x00);
        }
        return stream.ToArray();
    }
}
