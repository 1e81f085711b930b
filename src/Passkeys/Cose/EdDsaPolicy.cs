namespace Passkeys.Cose;

/// <summary>
/// What EdDSA keys and signatures this library accepts, decided here once for every backend
/// (OpenSSL and BouncyCastle disagree at the edges: OpenSSL takes a small-order key, and then an
/// all-zero signature under it).
/// </summary>
/// <remarks>
/// RFC 8032 §5.1.7 and §5.2.7 (verification: S must be below L; A must decode); "Taming the many
/// EdDSAs" (Chalkias et al., 2020) on small-order keys, which let one signature verify for many
/// messages. A credential key is a point [s]B, so a small-order or non-canonically encoded key is
/// never one an honest authenticator made.
/// </remarks>
internal static class EdDsaPolicy
{
    /// <summary>Key and signature sizes for an EdDSA curve.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.InvalidPublicKey"/> for a curve that is not Ed25519 or Ed448.</exception>
    internal static (int KeyLength, int SignatureLength) Sizes(CoseCurve curve) => curve switch
    {
        CoseCurve.Ed25519 => (32, 64),
        CoseCurve.Ed448 => (57, 114),
        _ => throw new PasskeyException(PasskeyError.InvalidPublicKey, $"EdDSA needs curve Ed25519 or Ed448, not {curve}"),
    };

    /// <summary>
    /// Refuses a public key of the wrong length, a non-canonical encoding (y ≥ p, stray bits, x = 0
    /// with the sign bit set), an encoding that is no point, and the small-order points (the
    /// identity, and the other 7 of Ed25519 or 3 of Ed448).
    /// </summary>
    /// <exception cref="PasskeyException">
    /// <see cref="PasskeyError.PublicKeyLengthInvalid"/>, <see cref="PasskeyError.PublicKeyNotCanonical"/>
    /// or <see cref="PasskeyError.PublicKeySmallOrder"/>.
    /// </exception>
    internal static void RequireValidPublicKey(CoseCurve curve, ReadOnlySpan<byte> publicKey)
    {
        var (keyLength, _) = Sizes(curve);
        if (publicKey.Length != keyLength)
        {
            throw new PasskeyException(PasskeyError.PublicKeyLengthInvalid, $"an {curve} public key must be {keyLength} bytes, not {publicKey.Length}");
        }
        var edwards = EdwardsCurve.For(curve)!;
        if (!edwards.Decode(publicKey, out string defect))
        {
            throw new PasskeyException(PasskeyError.PublicKeyNotCanonical, $"the {curve} public key is not a canonical point encoding: {defect}");
        }
        if (edwards.IsSmallOrder(publicKey))
        {
            throw new PasskeyException(PasskeyError.PublicKeySmallOrder, $"the {curve} public key is a small-order point (identity or torsion), under which signatures prove nothing");
        }
    }

    /// <summary>Why <paramref name="signature"/> cannot be an EdDSA signature on <paramref name="curve"/>, or null when its shape is right.</summary>
    internal static PasskeyException? SignatureDefect(CoseCurve curve, ReadOnlySpan<byte> signature)
    {
        var (_, signatureLength) = Sizes(curve);
        if (signature.Length != signatureLength)
        {
            return new PasskeyException(PasskeyError.SignatureLengthInvalid, $"an {curve} signature must be {signatureLength} bytes, not {signature.Length}");
        }
        var edwards = EdwardsCurve.For(curve)!;
        // RFC 8032 §5.1.7 step 1 / §5.2.7 step 1: S = the second half, little-endian, must be < L;
        // S + L would otherwise verify too (signature malleability).
        if (EdwardsCurve.ReadLittleEndian(signature[edwards.EncodedLength..]) >= edwards.Order)
        {
            return new PasskeyException(PasskeyError.SignatureNotCanonical, $"the {curve} signature's S is not below the group order L");
        }
        return null;
    }
}
