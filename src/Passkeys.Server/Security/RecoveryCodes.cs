using System.Security.Cryptography;
using System.Text;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Security;

/// <summary>
/// Recovery codes: 16 Crockford base32 characters (80 random bits) shown as 4 groups of 4
/// (<c>ABCD-EFGH-JKMN-PQRS</c>). Stored as HMAC-SHA256 under the tenant's recovery-code key
/// (<see cref="TenantKeys.RecoveryCodes"/>, kept in another table than the codes), bound to the
/// tenant and user: the codes are random, so a keyed hash is enough and costs microseconds where
/// PBKDF2 cost milliseconds. Input is read case-insensitively, with or without dashes and spaces,
/// and with Crockford's O→0, I/L→1.
/// </summary>
/// <remarks>
/// Codes of the earlier format (28 characters, 140 bits, the first 4 a lookup id, PBKDF2 with a
/// per-code salt) keep working until they are used or replaced: their records have a salt, the new
/// ones an empty one.
/// </remarks>
public static class RecoveryCodes
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int Length = 16;
    private const int LegacyLength = 28;
    private const int LegacyIterations = 10_000;

    /// <summary>How many codes a set has.</summary>
    public const int SetSize = 10;

    /// <summary>Generates a set: the displayable codes and their records.</summary>
    public static (IReadOnlyList<string> Codes, IReadOnlyList<RecoveryCodeRecord> Records) Generate(byte[] key, string tenantId, string userId, DateTimeOffset now)
    {
        var codes = new List<string>(SetSize);
        var records = new List<RecoveryCodeRecord>(SetSize);
        for (var n = 0; n < SetSize; n++)
        {
            var raw = new char[Length];
            for (var i = 0; i < Length; i++)
            {
                raw[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
            var code = new string(raw);
            // The id only names the row; it says nothing about the code.
            records.Add(new RecoveryCodeRecord(tenantId, userId, Secrets.RandomId(9), [], Mac(key, tenantId, userId, code), now, null));
            codes.Add($"{code[..4]}-{code[4..8]}-{code[8..12]}-{code[12..]}");
        }
        return (codes, records);
    }

    /// <summary>Normalizes user input to the 16-character (or earlier 28-character) form; null when it cannot be a code.</summary>
    public static string? Normalize(string? input)
    {
        if (input is null || input.Length > 64)
        {
            return null;
        }
        var sb = new StringBuilder(LegacyLength);
        foreach (var ch in input)
        {
            if (ch is '-' or ' ' or '\t')
            {
                continue;
            }
            var c = char.ToUpperInvariant(ch) switch { 'O' => '0', 'I' or 'L' => '1', var other => other };
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return null;
            }
            sb.Append(c);
        }
        return sb.Length is Length or LegacyLength ? sb.ToString() : null;
    }

    /// <summary>
    /// The record among <paramref name="unused"/> that <paramref name="normalized"/> opens, or null.
    /// Every new-format record is compared in constant time, whichever matches.
    /// </summary>
    public static RecoveryCodeRecord? Find(byte[] key, string tenantId, string userId, string normalized, IReadOnlyList<RecoveryCodeRecord> unused)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        ArgumentNullException.ThrowIfNull(unused);
        if (normalized.Length == LegacyLength)
        {
            var legacy = unused.FirstOrDefault(r => r.Salt.Length > 0 && r.Id == normalized[..4]);
            var hash = Rfc2898DeriveBytes.Pbkdf2(System.Text.Encoding.ASCII.GetBytes(normalized), legacy?.Salt ?? new byte[16], LegacyIterations, HashAlgorithmName.SHA256, 32);
            return legacy is not null && CryptographicOperations.FixedTimeEquals(hash, legacy.Hash) ? legacy : null;
        }
        var mac = Mac(key, tenantId, userId, normalized);
        RecoveryCodeRecord? found = null;
        foreach (var r in unused)
        {
            if (r.Salt.Length == 0 && CryptographicOperations.FixedTimeEquals(mac, r.Hash))
            {
                found = r;
            }
        }
        return found;
    }

    // Bound to tenant and user, so a row copied to another account opens nothing there.
    private static byte[] Mac(byte[] key, string tenantId, string userId, string code) =>
        HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes($"recovery-code\0{tenantId}\0{userId}\0{code}"));
}
