using System.Globalization;

namespace Passkeys.Load;

/// <summary>The textual forms the load options take on a command line: durations and shares.</summary>
public static class TextValues
{
    /// <summary>Parses 30s, 500ms, 2m, 1h, or a bare number of seconds (0 to 7 days).</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        (string number, double unit) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 0.001)
            : t.EndsWith('s') ? (t[..^1], 1)
            : t.EndsWith('m') ? (t[..^1], 60)
            : t.EndsWith('h') ? (t[..^1], 3600)
            : (t, 1);
        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) && value * unit <= 7 * 24 * 3600)
        {
            duration = TimeSpan.FromSeconds(value * unit);
            return true;
        }
        duration = default;
        return false;
    }

    /// <summary>Parses a share: 5%, 0.05 or 0 (0 to 1).</summary>
    public static bool TryParseRate(string text, out double rate)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        bool percent = t.EndsWith('%');
        if (double.TryParse(percent ? t[..^1] : t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)
            && (percent ? value / 100 : value) is double r and >= 0 and <= 1)
        {
            rate = r;
            return true;
        }
        rate = 0;
        return false;
    }
}
