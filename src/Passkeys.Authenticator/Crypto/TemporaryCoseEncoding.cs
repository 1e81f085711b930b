using Passkeys.Encoding;

namespace Passkeys.Authenticator.Crypto;

// TEMPORARY: stands in for Passkeys.Cose.CosePublicKey until the `cose` branch lands; deleted then.
internal static class TemporaryCoseEncoding
{
    public static byte[] Ec2(int alg, int crv, byte[] x, byte[] y) => Encode(
        (1, new CborInteger(2)), (3, new CborInteger(alg)), (-1, new CborInteger(crv)),
        (-2, new CborByteString(x)), (-3, new CborByteString(y)));

    public static byte[] Rsa(int alg, byte[] n, byte[] e) => Encode(
        (1, new CborInteger(3)), (3, new CborInteger(alg)), (-1, new CborByteString(n)), (-2, new CborByteString(e)));

    public static byte[] Okp(int alg, int crv, byte[] x) => Encode(
        (1, new CborInteger(1)), (3, new CborInteger(alg)), (-1, new CborInteger(crv)), (-2, new CborByteString(x)));

    private static byte[] Encode(params (long Key, CborValue Value)[] entries) =>
        CborWriter.Encode(new CborMap([.. entries.Select(e => new KeyValuePair<CborValue, CborValue>(new CborInteger(e.Key), e.Value))]));
}
