using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Passkeys.Server.Tokens;

/// <summary>
/// An explicit 256-bit key-encryption key (<c>Passkeys:KeyProtection:KeyEncryptionKey</c> or
/// <c>…KeyEncryptionKeyFile</c>) that encrypts signing keys with AES-256-GCM. The sealed form is
/// <c>"PKK1" ‖ key id (8) ‖ nonce (12) ‖ ciphertext ‖ tag (16)</c>; the key id (a hash of the KEK)
/// tells "sealed under another KEK" apart from "damaged", and the associated data binds the
/// ciphertext to its tenant and kid, so a row copied to another tenant does not decrypt.
/// </summary>
public sealed class KeyEncryptionKey
{
    /// <summary>The sealed form's first four bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "PKK1"u8;

    private const int IdLength = 8;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int HeaderLength = 4 + IdLength + NonceLength;
    private readonly byte[] _key;
    private readonly byte[] _id;

    private KeyEncryptionKey(byte[] key)
    {
        _key = key;
        _id = SHA256.HashData([.. "passkeys kek id\0"u8, .. key])[..IdLength];
    }

    /// <summary>What is wrong with a base64 KEK, or null when it is usable.</summary>
    public static string? Problem(string base64)
    {
        try
        {
            var length = Convert.FromBase64String(base64.Trim()).Length;
            return length == 32 ? null : $"must be 32 bytes (256 bits) in base64, not {length} bytes; make one with: openssl rand -base64 32";
        }
        catch (FormatException)
        {
            return "is not base64; make one with: openssl rand -base64 32";
        }
    }

    /// <summary>The KEK from its base64 text.</summary>
    /// <exception cref="InvalidOperationException">The text is not 32 bytes of base64 (<paramref name="source"/> names where it came from).</exception>
    public static KeyEncryptionKey FromBase64(string base64, string source)
    {
        ArgumentNullException.ThrowIfNull(base64);
        if (Problem(base64) is { } problem)
        {
            throw new InvalidOperationException($"{source} {problem}.");
        }
        return new KeyEncryptionKey(Convert.FromBase64String(base64.Trim()));
    }

    /// <summary>True when <paramref name="stored"/> is in this class's sealed form (under any KEK).</summary>
    public static bool IsSealed(ReadOnlySpan<byte> stored) => stored.Length >= HeaderLength + TagLength && stored.StartsWith(Magic);

    /// <summary>True when <paramref name="stored"/> was sealed under this KEK.</summary>
    public bool IsOwnSealed(ReadOnlySpan<byte> stored) => IsSealed(stored) && stored.Slice(4, IdLength).SequenceEqual(_id);

    /// <summary>Encrypts <paramref name="plaintext"/> for one tenant's key.</summary>
    public byte[] Seal(string tenantId, string keyId, ReadOnlySpan<byte> plaintext)
    {
        var sealedKey = new byte[HeaderLength + plaintext.Length + TagLength];
        Magic.CopyTo(sealedKey);
        _id.CopyTo(sealedKey.AsSpan(4));
        var nonce = sealedKey.AsSpan(4 + IdLength, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagLength);
        aes.Encrypt(nonce, plaintext, sealedKey.AsSpan(HeaderLength, plaintext.Length), sealedKey.AsSpan(HeaderLength + plaintext.Length), AssociatedData(tenantId, keyId));
        return sealedKey;
    }

    /// <summary>Decrypts a sealed key; throws <see cref="CryptographicException"/> when it was sealed under another KEK, for another key, or altered.</summary>
    public byte[] Open(string tenantId, string keyId, ReadOnlySpan<byte> stored)
    {
        if (!IsOwnSealed(stored))
        {
            throw new CryptographicException("the key was encrypted under a different key-encryption key");
        }
        var ciphertext = stored[HeaderLength..^TagLength];
        var plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(_key, TagLength);
        aes.Decrypt(stored.Slice(4 + IdLength, NonceLength), ciphertext, stored[^TagLength..], plaintext, AssociatedData(tenantId, keyId));
        return plaintext;
    }

    // Length-prefixed, so no two (tenant, kid) pairs give the same bytes.
    private static byte[] AssociatedData(string tenantId, string keyId)
    {
        var tenant = System.Text.Encoding.UTF8.GetBytes(tenantId);
        var kid = System.Text.Encoding.UTF8.GetBytes(keyId);
        var data = new byte[8 + tenant.Length + kid.Length];
        BinaryPrimitives.WriteInt32BigEndian(data, tenant.Length);
        tenant.CopyTo(data, 4);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4 + tenant.Length), kid.Length);
        kid.CopyTo(data, 8 + tenant.Length);
        return data;
    }
}
