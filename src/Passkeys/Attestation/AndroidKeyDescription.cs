using System.Formats.Asn1;
using System.Numerics;

namespace Passkeys.Attestation;

/// <summary>
/// The Android Keystore key description (extension 1.3.6.1.4.1.11129.2.1.17), reduced to the fields
/// WebAuthn §8.4 checks. Parsing fails closed: anything that does not read as the documented
/// KeyDescription schema is an <see cref="PasskeyError.AttestationCertificateInvalid"/>.
/// </summary>
public sealed class AndroidKeyDescription
{
    /// <summary>The key description extension OID.</summary>
    public const string Oid = "1.3.6.1.4.1.11129.2.1.17";
    /// <summary>KM_ORIGIN_GENERATED: the key was generated inside Keystore.</summary>
    public const int OriginGenerated = 0;
    /// <summary>KM_PURPOSE_SIGN.</summary>
    public const int PurposeSign = 2;

    private AndroidKeyDescription() { }

    /// <summary>attestationChallenge.</summary>
    public byte[] AttestationChallenge { get; private init; } = [];
    /// <summary>softwareEnforced.</summary>
    public AuthorizationList SoftwareEnforced { get; private init; } = new();
    /// <summary>teeEnforced (hardwareEnforced).</summary>
    public AuthorizationList TeeEnforced { get; private init; } = new();

    /// <summary>The parts of an AuthorizationList that WebAuthn needs.</summary>
    public sealed class AuthorizationList
    {
        /// <summary>purpose [1] values.</summary>
        public List<BigInteger> Purposes { get; } = [];
        /// <summary>Whether allApplications [600] is present.</summary>
        public bool AllApplications { get; set; }
        /// <summary>origin [702], when present.</summary>
        public BigInteger? Origin { get; set; }
    }

    /// <summary>Parses the extension value.</summary>
    public static AndroidKeyDescription Parse(ReadOnlyMemory<byte> extensionValue)
    {
        try
        {
            // BER: real devices are not always strict DER (e.g. SET OF order), and nothing here is signed
            // as a separate structure, so tolerance of encoding variants does not weaken the checks.
            var outer = new AsnReader(extensionValue, AsnEncodingRules.BER);
            var seq = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            seq.ReadInteger();                               // attestationVersion
            seq.ReadEnumeratedBytes();                       // attestationSecurityLevel
            seq.ReadInteger();                               // keymasterVersion / keyMintVersion
            seq.ReadEnumeratedBytes();                       // keymasterSecurityLevel
            byte[] challenge = seq.ReadOctetString();        // attestationChallenge
            seq.ReadOctetString();                           // uniqueId
            var software = ReadAuthorizationList(seq);
            var tee = ReadAuthorizationList(seq);
            seq.ThrowIfNotEmpty();
            return new AndroidKeyDescription { AttestationChallenge = challenge, SoftwareEnforced = software, TeeEnforced = tee };
        }
        catch (AsnContentException e)
        {
            throw new PasskeyException(PasskeyError.AttestationCertificateInvalid,
                $"android-key key description extension does not follow the KeyDescription schema: {e.Message}", e);
        }
    }

    private static AuthorizationList ReadAuthorizationList(AsnReader parent)
    {
        var list = new AuthorizationList();
        var reader = parent.ReadSequence();
        while (reader.HasData)
        {
            var tag = reader.PeekTag();
            if (tag.TagClass != TagClass.ContextSpecific)
            {
                throw new AsnContentException($"unexpected {tag} in AuthorizationList");
            }
            switch (tag.TagValue)
            {
                case 1:
                {
                    var wrapper = reader.ReadSequence(tag);
                    var set = wrapper.ReadSetOf(skipSortOrderValidation: true);
                    wrapper.ThrowIfNotEmpty();
                    while (set.HasData)
                    {
                        list.Purposes.Add(set.ReadInteger());
                    }
                    break;
                }
                case 600:
                    reader.ReadEncodedValue();
                    list.AllApplications = true;
                    break;
                case 702:
                {
                    var wrapper = reader.ReadSequence(tag);
                    list.Origin = wrapper.ReadInteger();
                    wrapper.ThrowIfNotEmpty();
                    break;
                }
                default:
                    reader.ReadEncodedValue();
                    break;
            }
        }
        return list;
    }
}
