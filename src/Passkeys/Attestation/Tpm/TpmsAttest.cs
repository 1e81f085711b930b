namespace Passkeys.Attestation.Tpm;

/// <summary>
/// TPMS_ATTEST produced by TPM2_Certify (the "certInfo" of WebAuthn tpm attestation), parsed strictly:
/// big-endian, every length checked. Magic and type are returned as read; the verifier checks them
/// (ATT-TPM-08/09) in spec order, after the signature. Only the TPMS_CERTIFY_INFO variant of
/// <c>attested</c> is read (and then no trailing bytes are allowed); for any other type the
/// attested union is kept as unread bytes in <see cref="OtherAttested"/>.
/// </summary>
public sealed class TpmsAttest
{
    private TpmsAttest() { }

    /// <summary>magic (TPM_GENERATED_VALUE when the TPM made it).</summary>
    public uint Magic { get; private init; }
    /// <summary>type (TPM_ST_ATTEST_CERTIFY for TPM2_Certify).</summary>
    public ushort Type { get; private init; }
    /// <summary>qualifiedSigner (TPM2B_NAME); ignored by WebAuthn.</summary>
    public byte[] QualifiedSigner { get; private init; } = [];
    /// <summary>extraData (TPM2B_DATA): the hash of attToBeSigned.</summary>
    public byte[] ExtraData { get; private init; } = [];
    /// <summary>clockInfo.clock; ignored by WebAuthn.</summary>
    public ulong Clock { get; private init; }
    /// <summary>firmwareVersion; ignored by WebAuthn.</summary>
    public ulong FirmwareVersion { get; private init; }
    /// <summary>attested.name (TPMS_CERTIFY_INFO): nameAlg ‖ H(pubArea) of the certified key.</summary>
    public byte[] AttestedName { get; private init; } = [];
    /// <summary>attested.qualifiedName; ignored by WebAuthn.</summary>
    public byte[] AttestedQualifiedName { get; private init; } = [];
    /// <summary>
    /// When <see cref="Type"/> is not TPM_ST_ATTEST_CERTIFY: the attested union as sent, unread
    /// (WebAuthn defines no other layout). Empty for a TPMS_CERTIFY_INFO.
    /// </summary>
    public byte[] OtherAttested { get; private init; } = [];

    /// <summary>Parses a certInfo.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.MalformedAttestationStatement"/>.</exception>
    public static TpmsAttest Parse(ReadOnlySpan<byte> certInfo)
    {
        var reader = new TpmReader(certInfo, "tpm certInfo (TPMS_ATTEST)");
        uint magic = reader.ReadUInt32("magic");
        ushort type = reader.ReadUInt16("type");
        byte[] qualifiedSigner = reader.ReadSized("qualifiedSigner");
        byte[] extraData = reader.ReadSized("extraData");
        ulong clock = reader.ReadUInt64("clockInfo.clock");
        reader.ReadUInt32("clockInfo.resetCount");
        reader.ReadUInt32("clockInfo.restartCount");
        reader.ReadByte("clockInfo.safe");
        ulong firmwareVersion = reader.ReadUInt64("firmwareVersion");
        byte[] name = [];
        byte[] qualifiedName = [];
        byte[] otherAttested = [];
        if (type == TpmConstants.StAttestCertify)
        {
            name = reader.ReadSized("attested.name");
            qualifiedName = reader.ReadSized("attested.qualifiedName");
            reader.EnsureEnd();
        }
        else
        {
            // Another type means another attested layout (TPMU_ATTEST). Parsing is structure only:
            // keep the rest unread and let the verifier reject the type in its place (ATT-TPM-09-type).
            otherAttested = reader.ReadRest();
        }
        return new TpmsAttest
        {
            Magic = magic,
            Type = type,
            QualifiedSigner = qualifiedSigner,
            ExtraData = extraData,
            Clock = clock,
            FirmwareVersion = firmwareVersion,
            AttestedName = name,
            AttestedQualifiedName = qualifiedName,
            OtherAttested = otherAttested,
        };
    }
}
