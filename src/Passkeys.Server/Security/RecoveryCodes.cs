using System.Security.Cryptography;
using System.Text;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Security;

/// <summary>
/// Recovery codes: 28 Crockford base32 characters (140 bits) shown as 7 groups of 4. The first 4
/// characters are a lookup id stored in clear (leaving 120 secret bits); the whole code is hashed
/// with PBKDF2-SHA256 and a per-code salt. Input is normalized (case, dashes, spaces, O→0, I/L→1).
/// </summary>
public static class RecoveryCodes
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int Length = 28;
    private const int Iterations = 10_000;

    /// <summary>How many codes a set has.</summary>
    public const int SetSize = 10;

    /// <summary>Generates a set: the displayable codes and their records.</summary>
    public static (IReadOnlyList<string> Codes, IReadOnlyList<RecoveryCodeRecord> Records) Generate(string tenantId, string userId, DateTimeOffset now)
    {
        var codes = new List<string>(SetSize);
        var records = new List<RecoveryCodeRecord>(SetSize);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (codes.Count < SetSize)
        {
            var raw = new char[Length];
            for (var i = 0; i < Length; i++)
            {
                raw[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
            var code = new string(raw);
            if (!ids.Add(code[..4]))
            {
                continue; // lookup ids are unique within a set
            }
            var salt = RandomNumberGenerator.GetBytes(16);
            records.Add(new RecoveryCodeRecord(tenantId, userId, code[..4], salt, Hash(code, salt), now, null));
            codes.Add(string.Join('-', Enumerable.Range(0, Length / 4).Select(g => code.Substring(g * 4, 4))));
        }
        return (codes, records);
    }

    /// <summary>Normalizes user input to the 28-character form; null when it cannot be a code.</summary>
    public static string? Normalize(string? input)
    {
        if (input is null || input.Length > 64)
        {
            return null;
        }
        var sb = new StringBuilder(Length);
        foreach (var ch in input)
        {
            var c = char.ToUpperInvariant(ch);
            if (c is '-' or ' ')
            {
                continue;
            }
            c = c switch { 'O' => '0', 'I' or 'L' => '1', _ => c };
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return null;
            }
            sb.Append(c);
        }
        return sb.Length == Length ? sb.ToString() : null;
    }

    /// <summary>The lookup id of a normalized code.</summary>
    public static string LookupId(string normalized) => normalized[..4];

    /// <summary>Constant-time check of a normalized code against a record (runs PBKDF2 either way).</summary>
    public static bool Verify(string normalized, RecoveryCodeRecord? record)
    {
        var salt = record?.Salt ?? new byte[16];
        var hash = Hash(normalized, salt);
        return record is not null && CryptographicOperations.FixedTimeEquals(hash, record.Hash);
    }

    private static byte[] Hash(string code, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(System.Text.Encoding.ASCII.GetBytes(code), salt, Iterations, HashAlgorithmName.SHA256, 32);
}
