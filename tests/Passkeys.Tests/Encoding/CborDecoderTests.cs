using Passkeys.Encoding;

namespace Passkeys.Tests.Encoding;

public class CborDecoderTests
{
    private static CborValue Lax(string hex) => CborDecoder.Decode(Convert.FromHexString(hex), CborConformance.Lax, "test");
    private static CborValue Canonical(string hex) => CborDecoder.Decode(Convert.FromHexString(hex), CborConformance.Ctap2Canonical, "test");

    // RFC 8949 Appendix A: integers.
    [Theory]
    [InlineData("00", 0)]
    [InlineData("17", 23)]
    [InlineData("1818", 24)]
    [InlineData("1903e8", 1000)]
    [InlineData("1a000f4240", 1000000)]
    [InlineData("1b000000e8d4a51000", 1000000000000)]
    [InlineData("20", -1)]
    [InlineData("3863", -100)]
    [InlineData("3903e7", -1000)]
    public void Decodes_rfc8949_integers(string hex, long expected)
    {
        var value = Assert.IsType<CborInteger>(Canonical(hex));
        Assert.Equal(expected, value.AsInt64());
    }

    [Fact]
    public void Decodes_the_full_64_bit_range()
    {
        Assert.Equal(ulong.MaxValue, (ulong)Assert.IsType<CborInteger>(Lax("1bffffffffffffffff")).Value);
        Assert.Equal(-(Int128)ulong.MaxValue - 1, Assert.IsType<CborInteger>(Lax("3bffffffffffffffff")).Value);
        Assert.Null(Assert.IsType<CborInteger>(Lax("3bffffffffffffffff")).AsInt64());
    }

    [Theory]
    [InlineData("f4", "false")]
    [InlineData("f5", "true")]
    [InlineData("f6", "null")]
    [InlineData("f7", "undefined")]
    public void Decodes_simple_values(string hex, string kind) => Assert.Equal(kind, Lax(hex).Kind);

    [Theory]
    [InlineData("f90000", 0.0)]
    [InlineData("f93c00", 1.0)]
    [InlineData("fa47c35000", 100000.0)]
    [InlineData("fb3ff199999999999a", 1.1)]
    public void Decodes_floats(string hex, double expected) => Assert.Equal(expected, Assert.IsType<CborFloat>(Lax(hex)).Value);

    [Fact]
    public void Decodes_strings_arrays_and_maps()
    {
        Assert.Equal([1, 2, 3, 4], Assert.IsType<CborByteString>(Lax("4401020304")).Value.ToArray());
        Assert.Equal("\u00fc", Assert.IsType<CborTextString>(Lax("62c3bc")).Value);
        Assert.Equal("\ud800\udd51", Assert.IsType<CborTextString>(Lax("64f0908591")).Value);
        var array = Assert.IsType<CborArray>(Lax("8301820203820405"));
        Assert.Equal(3, array.Items.Count);
        var map = Assert.IsType<CborMap>(Lax("a26161016162820203"));
        Assert.Equal(1, Cbor.AsInt64(map["a"], PasskeyError.MalformedCbor, "a"));
        Assert.Equal(2, Cbor.AsArray(map["b"], PasskeyError.MalformedCbor, "b").Count);
    }

    [Fact]
    public void Decodes_indefinite_lengths_in_lax_mode()
    {
        Assert.Equal([1, 2, 3, 4, 5], Assert.IsType<CborByteString>(Lax("5f42010243030405ff")).Value.ToArray());
        Assert.Equal("streaming", Assert.IsType<CborTextString>(Lax("7f657374726561646d696e67ff")).Value);
        Assert.Equal(3, Assert.IsType<CborArray>(Lax("9f018202039f0405ffff")).Items.Count);
        var map = Assert.IsType<CborMap>(Lax("bf6346756ef563416d7421ff"));
        Assert.Equal(2, map.Count);
    }

    [Fact]
    public void Keeps_the_exact_input_bytes_of_each_item()
    {
        byte[] input = Convert.FromHexString("a201020326");
        var map = Assert.IsType<CborMap>(CborDecoder.Decode(input, CborConformance.Ctap2Canonical, "key"));
        Assert.Equal(input, map.Encoded.ToArray());
        Assert.Equal([0x26], map[3]!.Encoded.ToArray());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("18", "truncated head")]
    [InlineData("1a0000", "truncated argument")]
    [InlineData("43010203ff", "trailing byte")]
    [InlineData("44010203", "byte string longer than input")]
    [InlineData("9b00000000ffffffff", "array count larger than input")]
    [InlineData("bb00000000ffffffff", "map count larger than input")]
    [InlineData("a201020103", "duplicate key")]
    [InlineData("62c328", "invalid UTF-8")]
    [InlineData("ff", "stray break")]
    [InlineData("1c", "reserved additional info")]
    [InlineData("f818", "two-byte simple value below 32")]
    [InlineData("f8ff", "unassigned simple value")]
    [InlineData("5f4101", "indefinite string without break")]
    [InlineData("5f6161ff", "text chunk in a byte string")]
    [InlineData("5f5f4101ffff", "nested indefinite chunk")]
    [InlineData("3f", "indefinite negative integer")]
    [InlineData("a18101", "array as map key")]
    public void Rejects_malformed_input(string hex, string why)
    {
        var e = Assert.Throws<PasskeyException>(() => Lax(hex));
        Assert.True(e.Error == PasskeyError.MalformedCbor, why);
    }

    [Theory]
    [InlineData("1817", "non-minimal integer")]
    [InlineData("5800", "non-minimal length")]
    [InlineData("5f40ff", "indefinite length")]
    [InlineData("a203020102", "keys out of order")]
    [InlineData("a220010102", "negative key before positive")]
    [InlineData("a2616101186401", "text key before integer key")]
    [InlineData("c24100", "tag")]
    public void Rejects_non_canonical_input_in_ctap2_mode(string hex, string why)
    {
        var e = Assert.Throws<PasskeyException>(() => Canonical(hex));
        Assert.True(e.Error == PasskeyError.MalformedCbor, why);
        // The same bytes are well-formed, so lax mode accepts them.
        Lax(hex);
    }

    [Fact]
    public void Accepts_ctap2_canonical_key_order()
    {
        // COSE EC2 key order: 1, 3, -1, -2, -3.
        var map = Assert.IsType<CborMap>(Canonical("a5010203262001215820" + new string('a', 64) + "225820" + new string('b', 64)));
        Assert.Equal(5, map.Count);
    }

    [Fact]
    public void Enforces_depth_and_item_limits()
    {
        string deep = string.Concat(Enumerable.Repeat("81", 20)) + "00";
        Assert.Equal(PasskeyError.MalformedCbor, Assert.Throws<PasskeyException>(() => Lax(deep)).Error);
        string many = "98ff" + string.Concat(Enumerable.Repeat("00", 255));
        var e = Assert.Throws<PasskeyException>(() =>
            CborDecoder.Decode(Convert.FromHexString(many), CborConformance.Lax, "test", new CborLimits(4, 100)));
        Assert.Equal(PasskeyError.MalformedCbor, e.Error);
    }

    [Fact]
    public void DecodeFirst_reports_where_the_item_ends()
    {
        byte[] input = Convert.FromHexString("ff0102a1010203");
        var value = CborDecoder.DecodeFirst(input, 3, CborConformance.Ctap2Canonical, "test", out int end);
        Assert.IsType<CborMap>(value);
        Assert.Equal(6, end);
    }
}
