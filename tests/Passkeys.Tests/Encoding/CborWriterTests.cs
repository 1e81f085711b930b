using Passkeys.Encoding;

namespace Passkeys.Tests.Encoding;

public class CborWriterTests
{
    [Theory]
    [InlineData(0, "00")]
    [InlineData(23, "17")]
    [InlineData(24, "1818")]
    [InlineData(256, "190100")]
    [InlineData(65536, "1a00010000")]
    [InlineData(4294967296, "1b0000000100000000")]
    [InlineData(-1, "20")]
    [InlineData(-25, "3818")]
    [InlineData(long.MinValue, "3b7fffffffffffffff")]
    public void Writes_minimal_integers(long value, string hex)
    {
        var writer = new CborWriter();
        writer.WriteInt64(value);
        Assert.Equal(hex, Convert.ToHexStringLower(writer.WrittenSpan));
    }

    [Fact]
    public void Encode_sorts_map_keys_into_ctap2_canonical_order()
    {
        var map = new CborMap(
        [
            new(new CborTextString("b"), new CborInteger(1)),
            new(new CborInteger(-1), new CborInteger(1)),
            new(new CborInteger(3), new CborInteger(-7)),
            new(new CborTextString("a"), new CborInteger(1)),
            new(new CborInteger(1), new CborInteger(2)),
        ]);
        byte[] encoded = CborWriter.Encode(map);
        Assert.Equal("a5010203262001616101616201", Convert.ToHexStringLower(encoded));
        // What the writer produces, the strict reader accepts.
        CborDecoder.Decode(encoded, CborConformance.Ctap2Canonical, "round trip");
    }

    [Fact]
    public void Round_trips_every_supported_type()
    {
        var value = new CborArray(
        [
            new CborByteString(new byte[300]),
            new CborTextString("passkey \u00e9"),
            CborSimple.True, CborSimple.False, CborSimple.Null,
            new CborFloat(1.5),
            new CborTag(24, new CborByteString(new byte[] { 1 })),
        ]);
        byte[] encoded = CborWriter.Encode(value);
        var decoded = Assert.IsType<CborArray>(CborDecoder.Decode(encoded, CborConformance.Lax, "round trip"));
        Assert.Equal(7, decoded.Items.Count);
        Assert.Equal(300, Assert.IsType<CborByteString>(decoded.Items[0]).Value.Length);
        Assert.Equal("passkey \u00e9", Assert.IsType<CborTextString>(decoded.Items[1]).Value);
        Assert.Equal(1.5, Assert.IsType<CborFloat>(decoded.Items[5]).Value);
        Assert.Equal(24UL, Assert.IsType<CborTag>(decoded.Items[6]).Tag);
    }
}
