using System.Text;

namespace Passkeys.Server.Security.Usernames;

/// <summary>
/// Compatibility decomposition (NFKD) and full case folding, from tables generated out of the
/// Unicode Character Database (<c>tools/generate-unicode-folding.py</c>). The server runs with
/// InvariantGlobalization, where <see cref="string.Normalize()"/> leaves non-ASCII text unchanged,
/// so the comparison key of a username cannot rely on it.
/// </summary>
/// <remarks>
/// Two strings have equal NFKC forms exactly when they have equal NFKD forms, so a key built from
/// NFKD compares like one built from NFKC without needing the composition tables.
/// See https://www.unicode.org/reports/tr15/ and https://www.unicode.org/reports/tr44/#CaseFolding.txt.
/// </remarks>
internal static partial class UnicodeFolding
{
    // Hangul syllables decompose by formula (Unicode §3.12), not by table.
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7, TCount = 28, NCount = 588, SCount = 11172;

    private static Dictionary<int, int>? _decompositions;
    private static Dictionary<int, int>? _foldings;

    /// <summary>NFKD of <paramref name="runes"/>, canonically ordered.</summary>
    public static List<int> Nfkd(IEnumerable<int> runes)
    {
        var output = new List<int>();
        foreach (var cp in runes)
        {
            var s = cp - SBase;
            if (s is >= 0 and < SCount)
            {
                output.Add(LBase + s / NCount);
                output.Add(VBase + s % NCount / TCount);
                if (s % TCount != 0)
                {
                    output.Add(TBase + s % TCount);
                }
            }
            else
            {
                AppendMapped(output, cp, Decompositions, ref _decompositions);
            }
        }
        CanonicalOrder(output);
        return output;
    }

    /// <summary>Full case folding of each code point.</summary>
    public static List<int> Fold(IEnumerable<int> runes)
    {
        var output = new List<int>();
        foreach (var cp in runes)
        {
            AppendMapped(output, cp, Foldings, ref _foldings);
        }
        return output;
    }

    /// <summary>The code points as a string.</summary>
    public static string ToText(List<int> codePoints)
    {
        var sb = new StringBuilder(codePoints.Count);
        foreach (var cp in codePoints)
        {
            sb.Append(new Rune(cp).ToString());
        }
        return sb.ToString();
    }

    private static void AppendMapped(List<int> output, int cp, ReadOnlySpan<int> table, ref Dictionary<int, int>? index)
    {
        index ??= IndexOf(table);
        if (!index.TryGetValue(cp, out var at))
        {
            output.Add(cp);
            return;
        }
        var length = table[at + 1];
        foreach (var mapped in table.Slice(at + 2, length))
        {
            output.Add(mapped);
        }
    }

    // Where each entry (code point, length, code points…) of a flat table starts.
    private static Dictionary<int, int> IndexOf(ReadOnlySpan<int> table)
    {
        var index = new Dictionary<int, int>();
        for (var i = 0; i < table.Length; i += 2 + table[i + 1])
        {
            index[table[i]] = i;
        }
        return index;
    }

    // Canonical ordering (Unicode §3.11): a stable sort of each run of non-starters by combining class.
    private static void CanonicalOrder(List<int> cps)
    {
        for (var i = 1; i < cps.Count; i++)
        {
            var c = CombiningClass(cps[i]);
            if (c == 0)
            {
                continue;
            }
            for (var j = i; j > 0 && CombiningClass(cps[j - 1]) > c; j--)
            {
                (cps[j - 1], cps[j]) = (cps[j], cps[j - 1]);
            }
        }
    }

    private static int CombiningClass(int cp)
    {
        var ranges = CombiningClasses;
        int lo = 0, hi = ranges.Length / 3 - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (cp < ranges[mid * 3]) hi = mid - 1;
            else if (cp > ranges[mid * 3 + 1]) lo = mid + 1;
            else return ranges[mid * 3 + 2];
        }
        return 0;
    }
}
