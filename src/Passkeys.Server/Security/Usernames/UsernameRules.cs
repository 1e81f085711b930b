using System.Globalization;
using System.Text;
using Passkeys.Server.Errors;

namespace Passkeys.Server.Security.Usernames;

/// <summary>
/// What a username may be, and when two usernames are the same. The one place that says it: the
/// sign-up check, the error messages and docs/api.md all use <see cref="Rule"/>.
/// </summary>
/// <remarks>
/// Following PRECIS (RFC 8265, UsernameCaseMapped) and UTS #39: names are compared by a key
/// (compatibility-decomposed, case-folded, invisible characters removed), so ALICE, ＡＬＩＣＥ and
/// alice are one account; a new name may not contain invisible, control or space characters, and
/// may not mix scripts beyond UTS #39's Highly Restrictive level, which refuses a Latin name with a
/// Cyrillic "а" in it. A name written entirely in another script (a whole-script look-alike) is
/// allowed: telling those apart needs the confusables data, which this check does not use.
/// </remarks>
public static class UsernameRules
{
    /// <summary>The longest username, in UTF-16 code units.</summary>
    public const int MaxLength = 256;

    /// <summary>The rule in words, for sign-up pages and error messages.</summary>
    public const string Rule =
        "A username is 1 to 256 characters: letters, digits, punctuation and symbols, without spaces and without invisible or control characters. " +
        "Its letters come from one script, except that Latin may be combined with Chinese, Japanese or Korean characters. " +
        "Upper and lower case are the same name (ALICE is alice).";

    /// <summary>
    /// Checks a new username and returns the form to store and display (trimmed, otherwise as
    /// typed: equivalent spellings are caught by <see cref="Key"/>); throws
    /// <see cref="ServerError.UsernameNotAllowed"/> or <see cref="ServerError.UsernameMixesScripts"/>.
    /// </summary>
    public static string Check(string? input, string field)
    {
        var name = input?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            throw new ServerException(ServerError.UsernameNotAllowed, $"{field} is required. {Rule}");
        }
        if (name.Length > MaxLength)
        {
            throw new ServerException(ServerError.UsernameNotAllowed, $"{field} is longer than {MaxLength} characters. {Rule}");
        }
        for (var i = 0; i < name.Length;)
        {
            if (Rune.DecodeFromUtf16(name.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                throw new ServerException(ServerError.UsernameNotAllowed, $"{field} is not well-formed text (a lone surrogate). {Rule}");
            }
            if (Refused(rune) is { } why)
            {
                throw new ServerException(ServerError.UsernameNotAllowed,
                    $"{field} contains {why} (U+{rune.Value:X4} at position {i + 1}). {Rule}");
            }
            i += used;
        }
        if (RestrictionLevels.Detect(name) == RestrictionLevel.MixedScripts)
        {
            throw new ServerException(ServerError.UsernameMixesScripts,
                $"{field} mixes letters from different scripts (for example a Cyrillic or Greek letter among Latin ones), which makes it look like another name. {Rule}");
        }
        return name;
    }

    /// <summary>
    /// The comparison key of a name, in the manner of Unicode's NFKC_Casefold: invisible
    /// (default-ignorable) characters removed, compatibility-decomposed (so full-width and other
    /// compatibility forms match their plain letters), fully case-folded (ß = ss, ς = σ), and
    /// decomposed again. Lenient: it never throws, so it also finds names stored before the rules.
    /// </summary>
    public static string Key(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var visible = new List<int>(name.Length);
        foreach (var rune in name.Trim().EnumerateRunes()) // ill-formed UTF-16 comes out as U+FFFD
        {
            if (!UnicodeScripts.IsDefaultIgnorable(rune))
            {
                visible.Add(rune.Value);
            }
        }
        return UnicodeFolding.ToText(UnicodeFolding.Nfkd(UnicodeFolding.Fold(UnicodeFolding.Nfkd(visible))));
    }

    // Why a character is refused in a new name, or null when it is allowed.
    private static string? Refused(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control => "a control character",
        UnicodeCategory.Format => "an invisible formatting character",
        UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "a space",
        UnicodeCategory.PrivateUse => "a private-use character",
        UnicodeCategory.OtherNotAssigned => "an unassigned code point",
        _ when UnicodeScripts.IsDefaultIgnorable(rune) => "an invisible character",
        // Assigned for the runtime but newer than the script table: its script cannot be checked.
        _ when !UnicodeScripts.IsKnown(rune) => $"a character newer than this server's Unicode {UnicodeScripts.UnicodeVersion} data",
        _ => null,
    };
}
