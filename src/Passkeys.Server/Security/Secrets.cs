using System.Security.Cryptography;
using System.Text;

namespace Passkeys.Server.Security;

/// <summary>Random identifiers and constant-time comparisons used across the server.</summary>
public static class Secrets
{
    /// <summary>Base64url (no padding) of <paramref name="bytes"/> random bytes.</summary>
    public static string RandomId(int bytes = 16) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>
    /// An id for a row written often and looked up by id (ceremonies, sessions): as unguessable as
    /// <see cref="RandomId"/> (its <paramref name="randomBytes"/> random bytes), preceded by 8
    /// characters that spell <paramref name="now"/> in milliseconds so that ids sort by time.
    /// </summary>
    /// <remarks>
    /// Why: a random key puts each new row on a random page of its index, so every step dirtied
    /// (and the database wrote, and the write-ahead log copied) a page of its own in each such
    /// index; with ids that grow, the rows of one commit share the rightmost page, and a finish
    /// deletes or updates a row that is still on a recently written, cached page. The time digits
    /// use the base64url characters in their ASCII order (<c>-0…9A…Z_a…z</c>), so the id is still
    /// plain base64url text and compares (byte for byte, as both stores do) in time order. It
    /// tells its holder when it was made, which a ceremony's or session's holder knows anyway.
    /// </remarks>
    public static string TimeOrderedId(DateTimeOffset now, int randomBytes = 16)
    {
        var random = Base64Url(RandomNumberGenerator.GetBytes(randomBytes));
        var milliseconds = (ulong)Math.Max(0, now.ToUnixTimeMilliseconds());
        return string.Create(TimeDigits + random.Length, (milliseconds, random), static (span, state) =>
        {
            // 8 digits of 6 bits: 48 bits of milliseconds last until the year 10889.
            for (var i = TimeDigits - 1; i >= 0; i--)
            {
                span[i] = OrderedDigits[(int)(state.milliseconds & 63)];
                state.milliseconds >>= 6;
            }
            state.random.CopyTo(span[TimeDigits..]);
        });
    }

    private const int TimeDigits = 8;

    // The 64 base64url characters in ASCII order: digit values sort as their characters do.
    private const string OrderedDigits = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

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
