using System.Security.Cryptography;
using Passkeys.Cose;
using Passkeys.Encoding;

namespace Passkeys.Tests.Cose;

/// <summary>Builds valid COSE keys and variants that change exactly one parameter.</summary>
internal static class CoseKeys
{
    public static ECDsa NewEcKey(CoseCurve curve) => ECDsa.Create(curve switch
    {
        CoseCurve.P256 => ECCurve.NamedCurves.nistP256,
        CoseCurve.P384 => ECCurve.NamedCurves.nistP384,
        _ => ECCurve.NamedCurves.nistP521,
    });

    public static CosePublicKey Es256() => CosePublicKey.FromECDsa(NewEcKey(CoseCurve.P256), CoseAlgorithm.ES256);

    /// <summary>The map of <paramref name="key"/> with <paramref name="label"/> set to <paramref name="value"/> (removed when null), canonically encoded.</summary>
    public static byte[] With(CosePublicKey key, long label, CborValue? value) => With(key.Encoded, new CborInteger(label), value);

    /// <summary>As above, with any kind of label.</summary>
    public static byte[] With(ReadOnlyMemory<byte> encoded, CborValue label, CborValue? value)
    {
        var map = (CborMap)CborDecoder.Decode(encoded, CborConformance.Ctap2Canonical, "test key");
        var entries = new List<KeyValuePair<CborValue, CborValue>>();
        foreach (var entry in map.Entries)
        {
            if (!SameLabel(entry.Key, label))
            {
                entries.Add(entry);
            }
        }
        if (value is not null)
        {
            entries.Add(new(label, value));
        }
        return CborWriter.Encode(new CborMap(entries));
    }

    /// <summary>A canonical map from integer labels.</summary>
    public static byte[] Map(params (long Label, CborValue Value)[] entries)
    {
        var list = new List<KeyValuePair<CborValue, CborValue>>();
        foreach (var (label, value) in entries)
        {
            list.Add(new(new CborInteger(label), value));
        }
        return CborWriter.Encode(new CborMap(list));
    }

    public static CborInteger Int(long value) => new(value);

    public static CborByteString Bytes(byte[] value) => new(value);

    private static bool SameLabel(CborValue a, CborValue b) => (a, b) switch
    {
        (CborInteger x, CborInteger y) => x.Value == y.Value,
        (CborTextString x, CborTextString y) => x.Value == y.Value,
        _ => false,
    };
}
