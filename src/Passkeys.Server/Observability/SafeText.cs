using System.Globalization;
using System.Text;

namespace Passkeys.Server.Observability;

/// <summary>
/// Request-derived text made safe to record: the one place where values bound for the audit table
/// and the log are escaped. Control characters (NUL, CR, LF, ESC…), the Unicode line and paragraph
/// separators and lone surrogates become visible <c>\uXXXX</c> escapes, so a value stays on one log
/// line, PostgreSQL (which cannot store NUL or a lone surrogate in text) accepts every audit row,
/// and the record still shows what was sent. Backslashes are left alone, so ordinary values read
/// as they were sent; an escape in the output may therefore also be literal input.
/// </summary>
public static class SafeText
{
    /// <summary>The longest request-derived value an audit column keeps; longer ones are cut with "…".</summary>
    public const int MaxAuditLength = 512;

    /// <summary>Escapes <paramref name="value"/> (null stays null); cuts it after <paramref name="maxLength"/> characters.</summary>
    public static string? Escape(string? value, int maxLength = int.MaxValue)
    {
        if (value is null)
        {
            return null;
        }
        if (value.Length <= maxLength && !NeedsEscaping(value))
        {
            return value;
        }
        var sb = new StringBuilder(Math.Min(value.Length, maxLength) + 16);
        for (int i = 0; i < value.Length && sb.Length < maxLength; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                sb.Append(c).Append(value[++i]);
            }
            else if (MustEscape(c))
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }
        if (sb.Length >= maxLength && value.Length > maxLength)
        {
            sb.Length = maxLength;
            sb.Append('…');
        }
        return sb.ToString();
    }

    private static bool NeedsEscaping(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (MustEscape(c))
            {
                return true;
            }
        }
        return false;
    }

    // Reached only for characters not part of a valid surrogate pair.
    private static bool MustEscape(char c) => char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029';
}
