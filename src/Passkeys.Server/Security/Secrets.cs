using System.Security.Cryptography;
using System.Text;

namespace Passkeys.Server.Security;

/// <summary>Random identifiers and constant-time comparisons used across the server.</summary>
public static class Secrets
{
    /// <summary>Base64url (no padding) of <paramref name="bytes"/> random bytes.</summary>
    public static string RandomId(int bytes = 16) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>Base64url without padding.</summary>
    public static string Base64Url(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    /// <summary>Decodes base64url; null when malformed.</summary>
    public static byte[]? FromBase64Url(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 2048 || !System.Buffers.Text.Base64Url.IsValid(value))
        {
            return null;
        }
        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromChars(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>SHA-256 of the UTF-8 bytes of <paramref name="value"/>.</summary>
    public static byte[] Sha256(string value) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value));

    /// <summary>Constant-time equality of two strings' SHA-256 hashes (lengths do not leak).</summary>
    public static bool EqualsConstantTime(string a, string b) => CryptographicOperations.FixedTimeEquals(Sha256(a), Sha256(b));
}
