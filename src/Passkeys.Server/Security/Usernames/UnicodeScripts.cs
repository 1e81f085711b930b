using System.Text;

namespace Passkeys.Server.Security.Usernames;

/// <summary>
/// The Unicode properties .NET does not expose that username checks need: Script_Extensions
/// (UAX #24) and Default_Ignorable_Code_Point. The data is generated from the Unicode Character
/// Database by <c>tools/generate-unicode-scripts.py</c> (see <c>UnicodeScripts.Generated.cs</c>).
/// </summary>
internal static partial class UnicodeScripts
{
    // Built on first use, not by a field initializer: the order of static initializers across the
    // partial files (Codes is in the generated one) is not defined.
    private static ScriptSet[]? _sets;

    private static ScriptSet[] Sets => _sets ??= BuildSets();

    /// <summary>
    /// The script extensions of <paramref name="rune"/>, augmented per UTS #39 §5.1;
    /// <see cref="ScriptSet.All"/> for Common and Inherited characters (digits, punctuation,
    /// combining marks), which go with any script, and for code points the table does not know.
    /// </summary>
    public static ScriptSet Of(Rune rune)
    {
        var range = RangeOf(rune);
        return range < 0 || Ranges[range * 3 + 2] < 0 ? ScriptSet.All : Sets[Ranges[range * 3 + 2]];
    }

    /// <summary>
    /// Whether the table knows <paramref name="rune"/>: it was assigned in <see cref="UnicodeVersion"/>.
    /// The runtime's Unicode data may be newer; a character only it knows has no script here.
    /// </summary>
    public static bool IsKnown(Rune rune) => RangeOf(rune) >= 0;

    private static int RangeOf(Rune rune)
    {
        var ranges = Ranges;
        int lo = 0, hi = ranges.Length / 3 - 1, cp = rune.Value;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (cp < ranges[mid * 3]) hi = mid - 1;
            else if (cp > ranges[mid * 3 + 1]) lo = mid + 1;
            else return mid;
        }
        return -1;
    }

    /// <summary>Whether <paramref name="rune"/> is a Default_Ignorable_Code_Point (renders as nothing: ZWSP, ZWJ, variation selectors, fillers, tags).</summary>
    public static bool IsDefaultIgnorable(Rune rune)
    {
        var ranges = DefaultIgnorable;
        int lo = 0, hi = ranges.Length / 2 - 1, cp = rune.Value;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (cp < ranges[mid * 2]) hi = mid - 1;
            else if (cp > ranges[mid * 2 + 1]) lo = mid + 1;
            else return true;
        }
        return false;
    }

    private static ScriptSet[] BuildSets()
    {
        var starts = SetStarts;
        var data = SetData;
        var sets = new ScriptSet[starts.Length];
        for (var i = 0; i < starts.Length; i++)
        {
            var tail = data[starts[i]..];
            sets[i] = ScriptSet.Of(tail[..tail.IndexOf((short)-1)]);
        }
        return sets;
    }
}
