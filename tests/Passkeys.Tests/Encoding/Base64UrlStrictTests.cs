using Passkeys.Encoding;

namespace Passkeys.Tests.Encoding;

public class Base64UrlStrictTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("Zg", "66")]
    [InlineData("Zm8", "666f")]
    [InlineData("Zm9v", "666f6f")]
    [InlineData("-_8", "fbff")]
    public void Decodes_unpadded_base64url(string text, string hex) =>
        Assert.Equal(hex, Convert.ToHexStringLower(Base64UrlStrict.Decode(text, "field")));

    [Theory]
    [InlineData("Zg==")]
    [InlineData("Zm8=")]
    [InlineData("+/8")]
    [InlineData("Zm 9v")]
    [InlineData("Zm9v\n")]
    [InlineData("Z")]
    [InlineData("Zm9vY")]
    public void Rejects_padding_other_alphabets_whitespace_and_impossible_lengths(string text)
    {
        var e = Assert.Throws<PasskeyException>(() => Base64UrlStrict.Decode(text, "field"));
        Assert.Equal(PasskeyError.MalformedBase64Url, e.Error);
        Assert.Contains("field", e.Detail, StringComparison.Ordinal);
        Assert.False(Base64UrlStrict.IsValid(text));
    }

    [Fact]
    public void Encodes_without_padding()
    {
        Assert.Equal("-_8", Base64UrlStrict.Encode([0xfb, 0xff]));
        Assert.Equal("Zg", Base64UrlStrict.Encode("f"u8));
    }
}
