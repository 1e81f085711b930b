using System.Security.Cryptography;

namespace Passkeys.Attestation.Tpm;

/// <summary>
/// TPMT_PUBLIC (the "pubArea" of WebAuthn tpm attestation) for RSA and ECC keys, parsed strictly:
/// big-endian, lengths checked, no trailing bytes.
/// </summary>
public sealed class TpmtPublic
{
    private TpmtPublic() { }

    /// <summary>type: TPM_ALG_RSA or TPM_ALG_ECC.</summary>
    public ushort Type { get; private init; }
    /// <summary>nameAlg: the hash used to compute the key's Name.</summary>
    public ushort NameAlg { get; private init; }
    /// <summary>objectAttributes.</summary>
    public uint ObjectAttributes { get; private init; }
    /// <summary>RSA: keyBits.</summary>
    public ushort RsaKeyBits { get; private init; }
    /// <summary>RSA: the public exponent as marshalled (big-endian UINT32; 0 means 65537).</summary>
    public uint RsaExponent { get; private init; }
    /// <summary>RSA: the modulus (unique.rsa), big-endian.</summary>
    public byte[] RsaModulus { get; private init; } = [];
    /// <summary>ECC: curveID.</summary>
    public ushort EccCurveId { get; private init; }
    /// <summary>ECC: unique.ecc.x.</summary>
    public byte[] EccX { get; private init; } = [];
    /// <summary>ECC: unique.ecc.y.</summary>
    public byte[] EccY { get; private init; } = [];

    /// <summary>RSA: the exponent as minimal big-endian bytes, with 0 read as the default 65537.</summary>
    public byte[] RsaExponentBytes()
    {
        uint e = RsaExponent == 0 ? 65537u : RsaExponent;
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, e);
        int skip = 0;
        while (skip < 3 && bytes[skip] == 0)
        {
            skip++;
        }
        return bytes[skip..];
    }

    /// <summary>The hash algorithm behind a TPM_ALG_ID, or null when it is not a supported hash.</summary>
    public static HashAlgorithmName? HashAlgorithm(ushort algId) => algId switch
    {
        TpmConstants.AlgSha1 => HashAlgorithmName.SHA1,
        TpmConstants.AlgSha256 => HashAlgorithmName.SHA256,
        TpmConstants.AlgSha384 => HashAlgorithmName.SHA384,
        TpmConstants.AlgSha512 => HashAlgorithmName.SHA512,
        _ => null,
    };

    /// <summary>Computes the TPM Name of <paramref name="pubArea"/>: nameAlg (2 bytes) ‖ H_nameAlg(pubArea).</summary>
    public static byte[] ComputeName(ushort nameAlg, ReadOnlySpan<byte> pubArea)
    {
        var hash = HashAlgorithm(nameAlg) ?? throw new PasskeyException(PasskeyError.MalformedAttestationStatement,
            $"tpm pubArea.nameAlg 0x{nameAlg:x4} is not SHA-1/256/384/512");
        byte[] digest = hash.Name switch
        {
            "SHA1" => SHA1.HashData(pubArea),
            "SHA256" => SHA256.HashData(pubArea),
            "SHA384" => SHA384.HashData(pubArea),
            _ => SHA512.HashData(pubArea),
        };
        var name = new byte[2 + digest.Length];
        name[0] = (byte)(nameAlg >> 8);
        name[1] = (byte)nameAlg;
        digest.CopyTo(name, 2);
        return name;
    }

    /// <summary>Parses a pubArea.</summary>
    /// <remarks>
    /// NOTE: TPM 2.0 Part 2 marshals a non-NULL signing scheme with its details (a hashAlg), but
    /// WebAuthn libraries (Yubico's TestAuthenticator among the producers; fido2-net-lib,
    /// SimpleWebAuthn, py_webauthn among the readers) treat the scheme as a bare UINT16. Real TPM
    /// credential keys use TPM_ALG_NULL, where both agree. The TPM layout is tried first; only if
    /// it does not consume the bytes exactly is the bare-scheme layout tried. Either way the whole
    /// input must be consumed, the key must equal the credential key (ATT-TPM-02) and the Name is
    /// computed over the raw bytes (ATT-TPM-11), so the fallback cannot change what is attested.
    /// </remarks>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.MalformedAttestationStatement"/>.</exception>
    public static TpmtPublic Parse(ReadOnlySpan<byte> pubArea)
    {
        try
        {
            return Parse(pubArea, schemeDetails: true);
        }
        catch (PasskeyException strict) when (strict.Error == PasskeyError.MalformedAttestationStatement)
        {
            try
            {
                return Parse(pubArea, schemeDetails: false);
            }
            catch (PasskeyException)
            {
                throw strict;
            }
        }
    }

    private static TpmtPublic Parse(ReadOnlySpan<byte> pubArea, bool schemeDetails)
    {
        var reader = new TpmReader(pubArea, "tpm pubArea (TPMT_PUBLIC)");
        ushort type = reader.ReadUInt16("type");
        ushort nameAlg = reader.ReadUInt16("nameAlg");
        uint attributes = reader.ReadUInt32("objectAttributes");
        reader.ReadSized("authPolicy");
        // parameters: TPMS_RSA_PARMS or TPMS_ECC_PARMS, both starting with symmetric and scheme.
        ReadSymmetric(ref reader);
        ReadScheme(ref reader, "parameters.scheme", schemeDetails);
        switch (type)
        {
            case TpmConstants.AlgRsa:
            {
                ushort keyBits = reader.ReadUInt16("parameters.keyBits");
                uint exponent = reader.ReadUInt32("parameters.exponent");
                byte[] modulus = reader.ReadSized("unique.rsa");
                reader.EnsureEnd();
                return new TpmtPublic { Type = type, NameAlg = nameAlg, ObjectAttributes = attributes, RsaKeyBits = keyBits, RsaExponent = exponent, RsaModulus = modulus };
            }
            case TpmConstants.AlgEcc:
            {
                ushort curve = reader.ReadUInt16("parameters.curveID");
                ReadScheme(ref reader, "parameters.kdf", schemeDetails);
                byte[] x = reader.ReadSized("unique.ecc.x");
                byte[] y = reader.ReadSized("unique.ecc.y");
                reader.EnsureEnd();
                return new TpmtPublic { Type = type, NameAlg = nameAlg, ObjectAttributes = attributes, EccCurveId = curve, EccX = x, EccY = y };
            }
            default:
                throw new PasskeyException(PasskeyError.MalformedAttestationStatement,
                    $"tpm pubArea.type 0x{type:x4} is neither TPM_ALG_RSA nor TPM_ALG_ECC");
        }
    }

    // TPMT_SYM_DEF_OBJECT: algorithm, then keyBits and mode unless the algorithm is TPM_ALG_NULL.
    private static void ReadSymmetric(ref TpmReader reader)
    {
        if (reader.ReadUInt16("parameters.symmetric.algorithm") != TpmConstants.AlgNull)
        {
            reader.ReadUInt16("parameters.symmetric.keyBits");
            reader.ReadUInt16("parameters.symmetric.mode");
        }
    }

    private const ushort AlgEcdaa = 0x001A;

    // TPMT_*_SCHEME / TPMT_KDF_SCHEME: scheme, then a hashAlg unless the scheme is TPM_ALG_NULL.
    private static void ReadScheme(ref TpmReader reader, string field, bool details)
    {
        ushort scheme = reader.ReadUInt16($"{field}.scheme");
        if (details && scheme != TpmConstants.AlgNull)
        {
            reader.ReadUInt16($"{field}.details.hashAlg");
            if (scheme == AlgEcdaa)
            {
                reader.ReadUInt16($"{field}.details.count");
            }
        }
    }
}
