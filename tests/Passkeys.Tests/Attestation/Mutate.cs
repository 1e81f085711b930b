using System.Security.Cryptography;
using Passkeys.Cose;
using Passkeys.Encoding;
using Passkeys.Protocol;

namespace Passkeys.Tests.Attestation;

/// <summary>Builds a statement or authenticator data that differs from a valid one in exactly one thing.</summary>
internal static class Mutate
{
    public static CborMap With(this CborMap map, string key, CborValue? value)
    {
        var entries = new List<KeyValuePair<CborValue, CborValue>>();
        bool found = false;
        foreach (var entry in map.Entries)
        {
            if (entry.Key is CborTextString t && t.Value == key)
            {
                found = true;
                if (value is not null)
                {
                    entries.Add(new(entry.Key, value));
                }
            }
            else
            {
                entries.Add(entry);
            }
        }
        if (!found && value is not null)
        {
            entries.Add(new(new CborTextString(key), value));
        }
        return new CborMap(entries);
    }

    public static byte[] Bytes(this CborMap map, string key) =>
        Cbor.AsBytes(map[key], PasskeyError.MalformedAttestationStatement, key).ToArray();

    public static CborMap WithBytes(this CborMap map, string key, Func<byte[], byte[]> change) =>
        map.With(key, new CborByteString(change(map.Bytes(key))));

    public static byte[] Flip(this byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index < 0 ? copy.Length + index : index] ^= 0x01;
        return copy;
    }

    public static byte[] Append(this byte[] bytes, byte extra) => [.. bytes, extra];

    /// <summary>The same authenticator data with its AAGUID replaced.</summary>
    public static AuthenticatorData WithAaguid(this AuthenticatorData authData, Guid aaguid)
    {
        var raw = authData.Raw.ToArray();
        aaguid.TryWriteBytes(raw.AsSpan(37, 16), bigEndian: true, out _);
        return AuthenticatorData.Parse(raw);
    }

    /// <summary>The same authenticator data with a fresh P-256 credential key in place of the original (also P-256).</summary>
    public static AuthenticatorData WithOtherEcKey(this AuthenticatorData authData)
    {
        var credential = authData.AttestedCredentialData!;
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var other = CosePublicKey.FromECDsa(ecdsa, credential.CredentialPublicKey.Algorithm).Encoded.Span;
        var raw = authData.Raw.Span;
        int keyStart = 37 + 16 + 2 + credential.CredentialId.Length;
        int keyLength = credential.CredentialPublicKey.Encoded.Length;
        byte[] result = [.. raw[..keyStart], .. other, .. raw[(keyStart + keyLength)..]];
        return AuthenticatorData.Parse(result);
    }
}
