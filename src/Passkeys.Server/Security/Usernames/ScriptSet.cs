namespace Passkeys.Server.Security.Usernames;

/// <summary>
/// A set of scripts as a bitset over <see cref="UnicodeScripts.Codes"/>, plus the three "augmented"
/// writing systems of UTS #39 §5.1 (Jpan = Han + Hiragana + Katakana, Kore = Han + Hangul,
/// Hanb = Han + Bopomofo), so that "日本語のテキスト" resolves to one writing system.
/// </summary>
/// <remarks>See https://www.unicode.org/reports/tr39/#Mixed_Script_Detection.</remarks>
internal readonly record struct ScriptSet(ulong A, ulong B, ulong C, ulong D)
{
    /// <summary>Every script: the set of a Common or Inherited character, and the start of an intersection.</summary>
    public static readonly ScriptSet All = new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    // The augmented writing systems take bits after the real scripts.
    private static readonly int Jpan = UnicodeScripts.Codes.Length;
    private static readonly int Kore = Jpan + 1;
    private static readonly int Hanb = Jpan + 2;

    /// <summary>Whether no script is left.</summary>
    public bool IsEmpty => (A | B | C | D) == 0;

    /// <summary>The scripts in both sets.</summary>
    public ScriptSet Intersect(ScriptSet other) => new(A & other.A, B & other.B, C & other.C, D & other.D);

    /// <summary>Whether the set holds the script with ISO 15924 code <paramref name="code"/>.</summary>
    public bool Contains(string code) => Has(IndexOf(code));

    /// <summary>Whether the set holds one of the augmented CJK writing systems (Jpan, Kore, Hanb).</summary>
    public bool HasCjkWritingSystem => Has(Jpan) || Has(Kore) || Has(Hanb);

    /// <summary>The set of the listed script indexes, augmented per UTS #39 §5.1.</summary>
    public static ScriptSet Of(ReadOnlySpan<short> scripts)
    {
        var set = default(ScriptSet);
        foreach (var s in scripts)
        {
            set = set.With(s);
            // UTS #39 §5.1: Han belongs to all three CJK writing systems, kana to Japanese,
            // Hangul to Korean, Bopomofo to Chinese with Bopomofo.
            switch (UnicodeScripts.Codes[s])
            {
                case "Hani": set = set.With(Jpan).With(Kore).With(Hanb); break;
                case "Hira" or "Kana": set = set.With(Jpan); break;
                case "Hang": set = set.With(Kore); break;
                case "Bopo": set = set.With(Hanb); break;
            }
        }
        return set;
    }

    private static int IndexOf(string code)
    {
        var i = Array.IndexOf(UnicodeScripts.Codes, code);
        return i >= 0 ? i : throw new ArgumentOutOfRangeException(nameof(code), code, "not a script of the table");
    }

    private bool Has(int bit) => (Word(bit) & (1UL << (bit & 63))) != 0;

    private ulong Word(int bit) => (bit >> 6) switch { 0 => A, 1 => B, 2 => C, _ => D };

    private ScriptSet With(int bit)
    {
        var mask = 1UL << (bit & 63);
        return (bit >> 6) switch
        {
            0 => this with { A = A | mask },
            1 => this with { B = B | mask },
            2 => this with { C = C | mask },
            _ => this with { D = D | mask },
        };
    }
}
