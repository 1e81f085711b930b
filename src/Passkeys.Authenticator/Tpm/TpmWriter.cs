using System.Buffers.Binary;

namespace Passkeys.Authenticator.Tpm;

/// <summary>
/// Marshals TPM 2.0 structures the way a TPM does (TPM 2.0 Library Part 2 / Part 1 §18): big-endian
/// integers, and TPM2B_* buffers as a UINT16 size followed by the bytes.
/// </summary>
/// <remarks>
/// The authenticator keeps its own writer and constants instead of borrowing the relying-party
/// library's TPM parser, so that a mistake on one side shows up as a failed verification rather
/// than being mirrored on both.
/// </remarks>
internal sealed class TpmWriter
{
    private readonly List<byte> _bytes = [];

    public TpmWriter UInt16(ushort value)
    {
        Span<byte> buffer = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(buffer, value);
        _bytes.AddRange(buffer);
        return this;
    }

    public TpmWriter UInt32(uint value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, value);
        _bytes.AddRange(buffer);
        return this;
    }

    public TpmWriter UInt64(ulong value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(buffer, value);
        _bytes.AddRange(buffer);
        return this;
    }

    public TpmWriter Byte(byte value)
    {
        _bytes.Add(value);
        return this;
    }

    /// <summary>A TPM2B_*: UINT16 size, then the bytes.</summary>
    public TpmWriter Sized(ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value.Length, "a TPM2B buffer holds at most 65535 bytes");
        }
        UInt16((ushort)value.Length);
        _bytes.AddRange(value);
        return this;
    }

    public byte[] ToArray() => [.. _bytes];
}

/// <summary>The TPM 2.0 constants the software TPM writes (TPM 2.0 Library Part 2, §6 and §8).</summary>
internal static class TpmValues
{
    /// <summary>TPM_GENERATED_VALUE ("\xffTCG"): the magic of every structure a TPM signs.</summary>
    public const uint GeneratedValue = 0xff544347;
    /// <summary>TPM_ST_ATTEST_CERTIFY: a TPMS_ATTEST made by TPM2_Certify.</summary>
    public const ushort StAttestCertify = 0x8017;
    /// <summary>TPM_ST_ATTEST_QUOTE: what the wrong-type fault writes instead.</summary>
    public const ushort StAttestQuote = 0x8018;

    public const ushort AlgRsa = 0x0001;
    public const ushort AlgSha256 = 0x000B;
    public const ushort AlgNull = 0x0010;
    public const ushort AlgEcc = 0x0023;

    public const ushort EccNistP256 = 0x0003;
    public const ushort EccNistP384 = 0x0004;
    public const ushort EccNistP521 = 0x0005;

    /// <summary>TPM_RH_OWNER: the owner hierarchy, whose qualified name is its handle.</summary>
    public const uint RhOwner = 0x40000001;

    /// <summary>
    /// TPMA_OBJECT of a credential key: fixedTPM (bit 1), fixedParent (4), sensitiveDataOrigin (5),
    /// userWithAuth (6), noDA (10), sign (18) — a non-duplicable signing key the TPM generated,
    /// as Windows Hello creates them (without Windows' extra decrypt bit).
    /// </summary>
    public const uint CredentialKeyAttributes = (1u << 1) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 10) | (1u << 18);
}
