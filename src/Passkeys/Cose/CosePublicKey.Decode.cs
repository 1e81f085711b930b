using Passkeys.Encoding;

namespace Passkeys.Cose;

/// <summary>Reading a COSE_Key: shape first (MalformedCoseKey), then key material (InvalidPublicKey).</summary>
public sealed partial class CosePublicKey
{
    // COSE_Key labels: RFC 9052 §7.1 (common), RFC 9053 §7.1.1 and §7.2 (EC2, OKP), RFC 8230 §4 (RSA),
    // COSE ML-DSA draft (AKP). Key-type-specific labels reuse the same negative numbers.
    private const long LabelKty = 1;
    private const long LabelAlg = 3;
    private const long LabelCrv = -1;     // EC2, OKP
    private const long LabelX = -2;       // EC2, OKP
    private const long LabelY = -3;       // EC2
    private const long LabelN = -1;       // RSA
    private const long LabelE = -2;       // RSA
    private const long LabelPub = -1;     // AKP

    // Larger moduli only make verification slower for everyone (a hostile key could make each
    // assertion cost seconds); no authenticator uses more than 4096 bits.
    private const int MaxRsaModulusBits = 16384;
    private const int MinRsaModulusBits = 2048;

    /// <summary>
    /// Decodes a credentialPublicKey: CTAP2 canonical CBOR holding one COSE_Key map, nothing after it.
    /// <see cref="Encoded"/> keeps exactly <paramref name="encoded"/>.
    /// </summary>
    /// <exception cref="PasskeyException">
    /// <see cref="PasskeyError.MalformedCbor"/> for bad CBOR; <see cref="PasskeyError.MalformedCoseKey"/> for a
    /// missing or mistyped parameter; <see cref="PasskeyError.UnsupportedAlgorithm"/> for an unknown alg;
    /// <see cref="PasskeyError.InvalidPublicKey"/> for key material that is not a valid key for alg.
    /// </exception>
    /// <remarks>WebAuthn L3 §6.5.1.1 (credentialPublicKey is CTAP2 canonical CBOR), RFC 9052 §7.</remarks>
    public static CosePublicKey Decode(ReadOnlyMemory<byte> encoded)
    {
        if (TryDecodeCanonicalEc2(encoded) is { } ec2)
        {
            return ec2;
        }
        var value = CborDecoder.Decode(encoded, CborConformance.Ctap2Canonical, "credentialPublicKey");
        return Parse(Cbor.AsMap(value, PasskeyError.MalformedCoseKey, "credentialPublicKey"), encoded);
    }

    /// <summary>Reads a COSE_Key from an already decoded map; <see cref="Encoded"/> is the map's encoding.</summary>
    /// <exception cref="PasskeyException">As for <see cref="Decode"/>, apart from CBOR errors.</exception>
    public static CosePublicKey FromCbor(CborMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return Parse(map, map.Encoded);
    }

    /// <summary>
    /// The EC2 keys authenticators send, read without a CBOR tree: the exact CTAP2 canonical encoding of
    /// {1: 2, 3: alg, -1: crv, -2: x, -3: y} for an ECDSA alg, its curve and full-size coordinates.
    /// Null for anything else (even one byte different), which then goes through the general path
    /// and meets exactly its checks and errors; for a matching input both paths decide the same.
    /// </summary>
    private static CosePublicKey? TryDecodeCanonicalEc2(ReadOnlyMemory<byte> encoded)
    {
        // A5 01 02 03 <alg> 20 <crv> 21 58 <size> <x> 22 58 <size> <y>
        var span = encoded.Span;
        if (span.Length < 6 || span[0] != 0xA5 || span[1] != 0x01 || span[2] != 0x02 || span[3] != 0x03)
        {
            return null;
        }
        (CoseAlgorithm alg, int algLength) = (span[4], span[5]) switch
        {
            (0x26, _) => (CoseAlgorithm.ES256, 1),      // −7
            (0x28, _) => (CoseAlgorithm.ESP256, 1),     // −9
            (0x38, 0x22) => (CoseAlgorithm.ES384, 2),   // −35
            (0x38, 0x23) => (CoseAlgorithm.ES512, 2),   // −36
            (0x38, 0x32) => (CoseAlgorithm.ESP384, 2),  // −51
            (0x38, 0x33) => (CoseAlgorithm.ESP512, 2),  // −52
            _ => (default, 0),
        };
        if (algLength == 0)
        {
            return null;
        }
        var (required, size) = alg switch
        {
            CoseAlgorithm.ES256 or CoseAlgorithm.ESP256 => (CoseCurve.P256, 32),
            CoseAlgorithm.ES384 or CoseAlgorithm.ESP384 => (CoseCurve.P384, 48),
            _ => (CoseCurve.P521, 66),
        };
        int xAt = 4 + algLength + 5;
        int yAt = xAt + size + 3;
        if (span.Length != yAt + size)
        {
            return null;
        }
        var crvHeader = span.Slice(4 + algLength, 5);
        var yHeader = span.Slice(xAt + size, 3);
        if (crvHeader[0] != 0x20 || crvHeader[1] != (byte)required || crvHeader[2] != 0x21 || crvHeader[3] != 0x58 || crvHeader[4] != size
            || yHeader[0] != 0x22 || yHeader[1] != 0x58 || yHeader[2] != size)
        {
            return null;
        }
        var x = encoded.Slice(xAt, size);
        var y = encoded.Slice(yAt, size);
        if (!EcCurve.FromCose(required)!.IsOnCurve(x.Span, y.Span))
        {
            throw NotOnCurve(required);
        }
        return new CosePublicKey(alg, CoseKeyType.EC2, required, encoded, x, y);
    }

    private static CosePublicKey Parse(CborMap map, ReadOnlyMemory<byte> encoded)
    {
        long kty = Cbor.AsInt64(map[LabelKty], PasskeyError.MalformedCoseKey, "COSE_Key kty (1)");
        long algValue = Cbor.AsInt64(map[LabelAlg], PasskeyError.MalformedCoseKey, "COSE_Key alg (3)");
        // WebAuthn requires alg in a credential public key (§6.5.1.1), so an unknown one cannot be skipped.
        var alg = (CoseAlgorithm)(int)Math.Clamp(algValue, int.MinValue, int.MaxValue);
        if (algValue is < int.MinValue or > int.MaxValue || CoseAlgorithms.KeyTypeOf(alg) is not { } expectedType)
        {
            throw new PasskeyException(PasskeyError.UnsupportedAlgorithm, $"COSE_Key alg {algValue} is not a supported COSE algorithm");
        }
        if (kty != (long)expectedType)
        {
            throw Invalid($"COSE_Key kty {kty} does not fit alg {CoseAlgorithms.Name(alg)}, which needs kty {(int)expectedType} ({expectedType})");
        }
        return expectedType switch
        {
            CoseKeyType.EC2 => ParseEc2(map, alg, encoded),
            CoseKeyType.RSA => ParseRsa(map, alg, encoded),
            CoseKeyType.OKP => ParseOkp(map, alg, encoded),
            _ => ParseAkp(map, alg, encoded),
        };
    }

    private static CosePublicKey ParseEc2(CborMap map, CoseAlgorithm alg, ReadOnlyMemory<byte> encoded)
    {
        long crv = Cbor.AsInt64(map[LabelCrv], PasskeyError.MalformedCoseKey, "EC2 key crv (-1)");
        var x = Cbor.AsBytes(map[LabelX], PasskeyError.MalformedCoseKey, "EC2 key x (-2)");
        var yValue = map[LabelY];
        if (yValue is CborSimple { Value: 20 or 21 })
        {
            // RFC 9053 §7.1.1 allows a sign bit for compressed points; WebAuthn L3 §5.8.5 does not.
            throw new PasskeyException(PasskeyError.MalformedCoseKey, "EC2 key y (-3) is the compressed-point sign bit; WebAuthn requires uncompressed points");
        }
        var y = Cbor.AsBytes(yValue, PasskeyError.MalformedCoseKey, "EC2 key y (-3)");

        var required = alg switch
        {
            CoseAlgorithm.ES256 or CoseAlgorithm.ESP256 => CoseCurve.P256,
            CoseAlgorithm.ES384 or CoseAlgorithm.ESP384 => CoseCurve.P384,
            _ => CoseCurve.P521,
        };
        // WebAuthn L3 §5.8.5 fixes the curve for ES256/384/512; the ESP* algorithms name it (RFC 9864).
        if (crv != (long)required)
        {
            throw Invalid($"EC2 key crv {crv} does not fit alg {CoseAlgorithms.Name(alg)}, which needs crv {(int)required} ({required})");
        }
        var curve = EcCurve.FromCose(required)!;
        if (x.Length != curve.FieldSize || y.Length != curve.FieldSize)
        {
            throw Invalid($"{required} coordinates must be {curve.FieldSize} bytes each; x is {x.Length} and y is {y.Length}");
        }
        // An off-curve point admits invalid-curve attacks on anything that trusts it; reject it now
        // rather than at the first verification.
        if (!curve.IsOnCurve(x.Span, y.Span))
        {
            throw NotOnCurve(required);
        }
        return new CosePublicKey(alg, CoseKeyType.EC2, required, encoded, x, y);
    }

    private static CosePublicKey ParseRsa(CborMap map, CoseAlgorithm alg, ReadOnlyMemory<byte> encoded)
    {
        var n = Cbor.AsBytes(map[LabelN], PasskeyError.MalformedCoseKey, "RSA key n (-1)");
        var e = Cbor.AsBytes(map[LabelE], PasskeyError.MalformedCoseKey, "RSA key e (-2)");
        // Leading zero bytes are accepted (RFC 8230 §4 asks for none, but real TPMs and libraries
        // differ); sizes are judged on the value.
        var modulus = TrimLeadingZeros(n.Span);
        int bits = modulus.IsEmpty ? 0 : ((modulus.Length - 1) * 8) + (32 - int.LeadingZeroCount(modulus[0]));
        if (bits is < MinRsaModulusBits or > MaxRsaModulusBits)
        {
            // RFC 8230 §6: keys smaller than 2048 bits must not be used; TPM keys are exactly 2048.
            throw Invalid($"RSA modulus must be {MinRsaModulusBits} to {MaxRsaModulusBits} bits, not {bits}");
        }
        var exponent = TrimLeadingZeros(e.Span);
        if (exponent.IsEmpty || (exponent[^1] & 1) == 0 || (exponent.Length == 1 && exponent[0] == 1) || exponent.Length > modulus.Length)
        {
            // RFC 8017 §3.1: 3 ≤ e ≤ n − 1 and, for a usable key, e odd.
            throw Invalid($"RSA exponent must be odd and greater than 1; it is 0x{Convert.ToHexString(exponent)}");
        }
        return new CosePublicKey(alg, CoseKeyType.RSA, null, encoded, n, e);
    }

    private static CosePublicKey ParseOkp(CborMap map, CoseAlgorithm alg, ReadOnlyMemory<byte> encoded)
    {
        long crv = Cbor.AsInt64(map[LabelCrv], PasskeyError.MalformedCoseKey, "OKP key crv (-1)");
        var x = Cbor.AsBytes(map[LabelX], PasskeyError.MalformedCoseKey, "OKP key x (-2)");
        bool fits = (alg, crv) switch
        {
            // RFC 9053 §2.2: EdDSA takes its curve from the key; RFC 9864 fixes it for Ed25519 and Ed448.
            (CoseAlgorithm.EdDSA, (long)CoseCurve.Ed25519 or (long)CoseCurve.Ed448) => true,
            (CoseAlgorithm.Ed25519, (long)CoseCurve.Ed25519) => true,
            (CoseAlgorithm.Ed448, (long)CoseCurve.Ed448) => true,
            _ => false,
        };
        if (!fits)
        {
            throw Invalid($"OKP key crv {crv} does not fit alg {CoseAlgorithms.Name(alg)}");
        }
        var curve = (CoseCurve)crv;
        // Length, canonical encoding and order: judged here, once, for whichever backend verifies.
        EdDsaPolicy.RequireValidPublicKey(curve, x.Span);
        return new CosePublicKey(alg, CoseKeyType.OKP, curve, encoded, x, default);
    }

    private static CosePublicKey ParseAkp(CborMap map, CoseAlgorithm alg, ReadOnlyMemory<byte> encoded)
    {
        var pub = Cbor.AsBytes(map[LabelPub], PasskeyError.MalformedCoseKey, "AKP key pub (-1)");
        MLDsaPolicy.RequirePublicKeyLength(alg, pub.Length);
        return new CosePublicKey(alg, CoseKeyType.AKP, null, encoded, pub, default);
    }

    private static PasskeyException Invalid(string detail) => new(PasskeyError.InvalidPublicKey, detail);

    private static PasskeyException NotOnCurve(CoseCurve curve) => Invalid($"the EC2 point is not on curve {curve}");
}
