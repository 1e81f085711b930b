using System.Text;

namespace Passkeys.Server.Security.Usernames;

/// <summary>
/// The restriction levels of UTS #39 §5.2, most restrictive first, and their detection over a
/// string's script extensions. Checking identifier status (§3.1) is left to the caller, which
/// refuses invisible and control characters itself.
/// </summary>
/// <remarks>See https://www.unicode.org/reports/tr39/#Restriction_Level_Detection.</remarks>
internal enum RestrictionLevel
{
    /// <summary>Only ASCII.</summary>
    AsciiOnly = 1,
    /// <summary>One script (Common and Inherited characters go with any).</summary>
    SingleScript = 2,
    /// <summary>Latin with one CJK writing system: Han + Hiragana + Katakana, Han + Bopomofo, or Han + Hangul.</summary>
    HighlyRestrictive = 3,
    /// <summary>Anything that mixes more, e.g. Latin with Cyrillic or Greek: where look-alikes live.</summary>
    MixedScripts = 4,
}

/// <summary>Detects the <see cref="RestrictionLevel"/> of a string.</summary>
internal static class RestrictionLevels
{
    /// <summary>The restriction level of <paramref name="text"/> (well-formed UTF-16).</summary>
    public static RestrictionLevel Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ascii = true;
        // The resolved script set (§5.1): the intersection of every character's script extensions.
        var resolved = ScriptSet.All;
        // The same without Latin characters: what Latin is mixed with.
        var withoutLatin = ScriptSet.All;
        foreach (var rune in text.EnumerateRunes())
        {
            ascii &= rune.IsAscii;
            var set = UnicodeScripts.Of(rune);
            resolved = resolved.Intersect(set);
            if (!set.Contains("Latn"))
            {
                withoutLatin = withoutLatin.Intersect(set);
            }
        }
        if (ascii)
        {
            return RestrictionLevel.AsciiOnly;
        }
        if (!resolved.IsEmpty)
        {
            return RestrictionLevel.SingleScript;
        }
        // §5.2 Highly Restrictive: Latin + Jpan, Latin + Kore or Latin + Hanb.
        return withoutLatin.HasCjkWritingSystem ? RestrictionLevel.HighlyRestrictive : RestrictionLevel.MixedScripts;
    }
}
