using Passkeys.Server.Errors;
using Passkeys.Server.Security.Usernames;

namespace Passkeys.Server.Tests.Security;

/// <summary>What a username may be and when two are the same (UTS #39 restriction levels, PRECIS-style keys).</summary>
public sealed class UsernameRulesTests
{
    [Theory]
    [InlineData("alice")]
    [InlineData("carol@example.com")]
    [InlineData("o'brien-2")]
    [InlineData("José")]              // Latin with an accent: one script
    [InlineData("Ελένη")]             // Greek only
    [InlineData("Дмитрий")]           // Cyrillic only
    [InlineData("山田太郎")]           // Han only
    [InlineData("やまだ太郎")]          // Hiragana + Han: Japanese
    [InlineData("taro山田")]           // Latin + Han: Highly Restrictive
    [InlineData("tanakaカタカナ漢字")]  // Latin + Japanese
    [InlineData("kim김민수")]           // Latin + Hangul
    [InlineData("lee李ㄅㄆ")]          // Latin + Han + Bopomofo
    [InlineData("ALICE")]
    public void Names_within_the_rules_are_accepted(string name) =>
        Assert.Equal(name, UsernameRules.Check(name, "user.name"));

    [Theory]
    [InlineData("\u0430lice")]        // Cyrillic а among Latin
    [InlineData("p\u0430yp\u0430l")]  // Cyrillic а twice
    [InlineData("\u03bfscar")]        // Greek ο among Latin
    [InlineData("ab\u05d0")]          // Latin + Hebrew
    [InlineData("カタカナ김")]          // Katakana + Hangul: two CJK writing systems
    public void Names_that_mix_scripts_into_look_alikes_are_refused(string name)
    {
        var e = Assert.Throws<ServerException>(() => UsernameRules.Check(name, "user.name"));
        Assert.Equal(ServerError.UsernameMixesScripts, e.Error);
        Assert.Contains(UsernameRules.Rule, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice\u200b")]       // zero-width space (Cf)
    [InlineData("al\u200dice")]       // zero-width joiner (Cf)
    [InlineData("\u202eecila")]       // right-to-left override (Cf)
    [InlineData("alice\u00ad")]       // soft hyphen (Cf)
    [InlineData("ali\u034fce")]       // combining grapheme joiner: Mn, but default-ignorable
    [InlineData("alice\ufe0f")]       // variation selector: Mn, but default-ignorable
    [InlineData("\u3164alice")]       // Hangul filler: Lo, but renders as nothing
    [InlineData("al ice")]            // space
    [InlineData("al\u00a0ice")]       // no-break space
    [InlineData("al\u0007ice")]       // control
    [InlineData("al\ue000ice")]       // private use
    [InlineData("")]
    [InlineData("   ")]
    public void Invisible_space_control_and_malformed_characters_are_refused(string name)
    {
        var e = Assert.Throws<ServerException>(() => UsernameRules.Check(name, "user.name"));
        Assert.Equal(ServerError.UsernameNotAllowed, e.Error);
    }

    [Fact]
    public void A_lone_surrogate_is_refused() // a Fact: theory data would carry it as U+FFFD
    {
        Assert.Equal(ServerError.UsernameNotAllowed, Assert.Throws<ServerException>(() => UsernameRules.Check("al\ud800ice", "user.name")).Error);
        Assert.Equal(ServerError.UsernameNotAllowed, Assert.Throws<ServerException>(() => UsernameRules.Check("alice\udc00", "user.name")).Error);
    }

    [Fact]
    public void A_letter_newer_than_the_script_table_is_refused_not_taken_for_common()
    {
        // U+10D50 GARAY CAPITAL LETTER A (Unicode 16): a letter to the runtime, unknown to the 15.0 table.
        var garay = "alice" + char.ConvertFromUtf32(0x10D50);
        if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(0x10D50) == System.Globalization.UnicodeCategory.OtherNotAssigned)
        {
            return; // the runtime's data is older too: it is refused as unassigned, which the other tests cover
        }
        Assert.Equal(ServerError.UsernameNotAllowed, Assert.Throws<ServerException>(() => UsernameRules.Check(garay, "user.name")).Error);
    }

    [Fact]
    public void A_name_over_the_limit_is_refused() =>
        Assert.Equal(ServerError.UsernameNotAllowed,
            Assert.Throws<ServerException>(() => UsernameRules.Check(new string('a', UsernameRules.MaxLength + 1), "user.name")).Error);

    [Theory]
    [InlineData("alice", "ALICE")]
    [InlineData("alice", "Alice")]
    [InlineData("alice", "ＡＬＩＣＥ")]         // full-width
    [InlineData("alice", "alice\u200b")]      // invisible characters do not count
    [InlineData("alice", "  alice ")]
    [InlineData("José", "JOSE\u0301")]         // decomposed accent = precomposed
    [InlineData("σοφια", "ΣΟΦΙΑ")]
    [InlineData("οδος", "ΟΔΟΣ")]               // final sigma ς folds with σ
    [InlineData("ǆemal", "ǅemal")]             // titlecase digraph
    [InlineData("straße", "STRASSE")]         // full case folding
    [InlineData("한글", "\u1112\u1161\u11ab\u1100\u1173\u11af")] // Hangul syllables = their jamo
    [InlineData("ﬁona", "FIONA")]              // ligature
    public void Names_that_differ_only_by_case_width_or_invisible_characters_share_a_key(string a, string b) =>
        Assert.Equal(UsernameRules.Key(a), UsernameRules.Key(b));

    [Theory]
    [InlineData("alice", "\u0430lice")] // a different letter stays a different name (the check refuses the mix instead)
    [InlineData("alice", "alice2")]
    public void Different_names_have_different_keys(string a, string b) =>
        Assert.NotEqual(UsernameRules.Key(a), UsernameRules.Key(b));

    [Fact]
    public void The_key_never_throws_on_malformed_input() =>
        Assert.NotNull(UsernameRules.Key("a\ud800b"));
}
