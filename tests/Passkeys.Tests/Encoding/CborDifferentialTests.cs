using Passkeys.Authenticator;
using Passkeys.Cli.Fuzzing;
using Passkeys.Encoding;
using Passkeys.Tests.Ceremonies;
using NetCbor = System.Formats.Cbor;

namespace Passkeys.Tests.Encoding;

/// <summary>
/// Issue 16, "a second opinion on every parse": our CTAP2-canonical decoder against
/// System.Formats.Cbor's <c>CborReader</c> in <c>Ctap2Canonical</c> mode (<see cref="CborOracle"/>),
/// on valid canonical encodings of random values and on mutations of real attestation objects and
/// COSE keys, with fixed seeds: the same verdict on every input and the same value where both
/// accept. The differences that remain are deliberate, each shown by a named test below.
/// </summary>
public class CborDifferentialTests
{
    private const int Seed = 20261206;

    // ---- random values, canonically encoded --------------------------------------------------

    private static readonly ulong[] s_boundaries = [0, 1, 23, 24, 255, 256, 65535, 65536, uint.MaxValue, (ulong)uint.MaxValue + 1, long.MaxValue, ulong.MaxValue];

    private static CborValue RandomValue(Random r, int depth)
    {
        int kind = r.Next(depth >= 4 ? 6 : 8);
        switch (kind)
        {
            case 0:
            case 1:
                return RandomInteger(r);
            case 2:
                return new CborByteString(RandomBytes(r));
            case 3:
                return new CborTextString(RandomText(r));
            case 4:
                return r.Next(3) switch { 0 => CborSimple.False, 1 => CborSimple.True, _ => CborSimple.Null };
            case 5:
                return RandomKey(r);
            case 6:
                return new CborArray([.. Enumerable.Range(0, r.Next(6)).Select(_ => RandomValue(r, depth + 1))]);
            default:
                var entries = new List<KeyValuePair<CborValue, CborValue>>();
                for (int i = r.Next(6); i > 0; i--)
                {
                    var key = RandomKey(r);
                    if (!entries.Any(e => CborOracle.Diagnostic(e.Key) == CborOracle.Diagnostic(key)))
                    {
                        entries.Add(new(key, RandomValue(r, depth + 1)));
                    }
                }
                return new CborMap(entries);
        }
    }

    private static CborValue RandomKey(Random r) => r.Next(3) switch
    {
        0 => RandomInteger(r),
        1 => new CborTextString(RandomText(r)),
        _ => new CborByteString(RandomBytes(r)),
    };

    private static CborInteger RandomInteger(Random r)
    {
        // Our CborInteger(long) covers −2⁶³…2⁶³−1; the decoder's full ±2⁶⁴ range is reached by mutation.
        ulong magnitude = r.Next(3) == 0 ? (ulong)r.NextInt64() : s_boundaries[r.Next(s_boundaries.Length)] + (ulong)r.Next(-1, 2);
        long value = (long)Math.Min(magnitude, long.MaxValue);
        return new CborInteger(r.Next(2) == 0 ? value : -1 - value);
    }

    private static byte[] RandomBytes(Random r)
    {
        var bytes = new byte[r.Next(4) == 0 ? r.Next(300) : r.Next(8)];
        r.NextBytes(bytes);
        return bytes;
    }

    private static string RandomText(Random r)
    {
        string[] pieces = ["a", "alg", "é", "€", "😀", "\0", "x", "kty", "ü", "中"];
        return string.Concat(Enumerable.Range(0, r.Next(6)).Select(_ => pieces[r.Next(pieces.Length)]));
    }

    [Fact]
    public void Random_values_in_canonical_encoding_decode_the_same_in_both()
    {
        var r = new Random(Seed);
        for (int i = 0; i < 3000; i++)
        {
            var value = RandomValue(r, 0);
            byte[] encoded = CborWriter.Encode(value);
            var ours = CborOracle.Ours(encoded);
            Assert.True(ours.Accepted, $"{Convert.ToHexStringLower(encoded)}: {ours}");
            Assert.Equal(ours, CborOracle.Theirs(encoded));
        }
    }

    [Fact]
    public void What_System_Formats_Cbor_writes_in_Ctap2Canonical_mode_we_read_as_it_does()
    {
        // The other direction: their writer's canonical form (their key order) is ours too.
        var r = new Random(Seed + 1);
        for (int i = 0; i < 3000; i++)
        {
            var value = RandomValue(r, 0);
            var writer = new NetCbor.CborWriter(NetCbor.CborConformanceMode.Ctap2Canonical);
            WriteTheirs(writer, value);
            byte[] encoded = writer.Encode();
            Assert.Equal(CborWriter.Encode(value), encoded);
            Assert.Null(CborOracle.Disagreement(encoded));
        }
    }

    private static void WriteTheirs(NetCbor.CborWriter writer, CborValue value)
    {
        switch (value)
        {
            case CborInteger i:
                writer.WriteInt64((long)i.Value);
                break;
            case CborByteString b:
                writer.WriteByteString(b.Value.Span);
                break;
            case CborTextString t:
                writer.WriteTextString(t.Value);
                break;
            case CborSimple s:
                writer.WriteSimpleValue((NetCbor.CborSimpleValue)s.Value);
                break;
            case CborArray a:
                writer.WriteStartArray(a.Items.Count);
                foreach (var item in a.Items)
                {
                    WriteTheirs(writer, item);
                }
                writer.WriteEndArray();
                break;
            case CborMap m:
                writer.WriteStartMap(m.Count);
                foreach (var (k, v) in m.Entries)
                {
                    WriteTheirs(writer, k);
                    WriteTheirs(writer, v);
                }
                writer.WriteEndMap();
                break;
        }
    }

    // ---- mutations of real inputs -------------------------------------------------------------

    private static readonly byte[] s_interesting = [0x00, 0x01, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1F, 0x20, 0x38, 0x3F, 0x40, 0x5F, 0x60, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xD8, 0xE0, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFF];

    private static byte[] Mutate(Random r, byte[] seed)
    {
        var data = seed.ToArray();
        for (int n = r.Next(1, 4); n > 0 && data.Length > 0; n--)
        {
            int pos = r.Next(data.Length);
            data = r.Next(6) switch
            {
                0 => Set(data, pos, (byte)(data[pos] ^ (1 << r.Next(8)))),
                1 => Set(data, pos, s_interesting[r.Next(s_interesting.Length)]),
                2 => data[..pos],
                3 => [.. data[..pos], s_interesting[r.Next(s_interesting.Length)], .. data[pos..]],
                4 => [.. data[..pos], .. data[Math.Min(data.Length, pos + r.Next(1, 4))..]],
                _ => Set(data, pos, (byte)((data[pos] & 0xE0) | r.Next(32))), // another additional-information value
            };
        }
        return data;
    }

    private static byte[] Set(byte[] data, int pos, byte value)
    {
        data[pos] = value;
        return data;
    }

    /// <summary>Attestation objects and COSE keys from the software authenticator (every algorithm), plus a few handmade items.</summary>
    private static async Task<List<byte[]>> RealSeedsAsync()
    {
        var seeds = new List<byte[]>();
        int[] algorithms = [SupportedAlgorithms.ES256, SupportedAlgorithms.ES384, SupportedAlgorithms.ES512, SupportedAlgorithms.RS256, SupportedAlgorithms.PS256, SupportedAlgorithms.EdDSA];
        foreach (var (alg, n) in algorithms.Select((a, n) => (a, n)))
        {
            using var scenario = new Scenario(new SoftwareAuthenticatorOptions { Seed = 100 + n, Algorithms = [alg], Attestation = AttestationKind.PackedSelf });
            scenario.Options.Algorithms = Enum.GetValues<global::Passkeys.Cose.CoseAlgorithm>();
            var passkey = await scenario.RegisterAsync();
            seeds.Add(passkey.Credential.PublicKey);
            var (response, _) = await scenario.CreateAsync();
            seeds.Add(Base64UrlStrict.Decode(System.Text.Json.Nodes.JsonNode.Parse(response)!["response"]!["attestationObject"]!.GetValue<string>(), "attestationObject"));
        }
        seeds.Add([0xA2, 0x01, 0x02, 0x20, 0x01]);                                 // {1: 2, -1: 1}
        seeds.Add([0x82, 0x63, 0x61, 0x62, 0x63, 0x41, 0x00]);                     // ["abc", h'00']
        seeds.Add([0xF9, 0x3C, 0x00]);                                             // 1.0 as a half float
        seeds.Add([0x1B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);         // 2⁶⁴−1
        seeds.Add([0x3B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);         // −2⁶⁴
        return seeds;
    }

    [Fact]
    public async Task Mutations_of_real_attestation_objects_and_COSE_keys_get_the_same_verdict_and_value()
    {
        var seeds = await RealSeedsAsync();
        var r = new Random(Seed + 2);
        int accepted = 0;
        var disagreements = new List<string>();
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input = Mutate(r, seeds[r.Next(seeds.Count)]);
            if (CborOracle.Disagreement(input) is { } disagreement)
            {
                disagreements.Add($"{Convert.ToHexStringLower(input)}: {disagreement}");
            }
            accepted += CborOracle.Ours(input).Accepted ? 1 : 0;
        }
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Take(20)));
        // The mutations must reach both outcomes, or the comparison says little.
        Assert.InRange(accepted, 500, 19_500);
    }

    [Fact]
    public async Task The_real_seeds_themselves_are_accepted_by_both_with_the_same_value()
    {
        foreach (var seed in await RealSeedsAsync())
        {
            var ours = CborOracle.Ours(seed);
            Assert.True(ours.Accepted, ours.ToString());
            Assert.Equal(ours, CborOracle.Theirs(seed));
        }
    }

    // ---- the deliberate differences, one test each ------------------------------------------

    private static void OnlyWeRefuse(byte[] input, string difference)
    {
        var ours = CborOracle.Ours(input);
        var theirs = CborOracle.Theirs(input);
        Assert.False(ours.Accepted);
        Assert.True(theirs.Accepted, theirs.ToString());
        Assert.Equal(difference, CborOracle.Explain(ours, theirs));
        Assert.Null(CborOracle.Disagreement(input));
    }

    [Fact]
    public void Difference_our_depth_limit_refuses_nesting_System_Formats_Cbor_reads()
    {
        // 17 nested arrays: deeper than CborLimits.Default allows; no WebAuthn structure nests so deep.
        OnlyWeRefuse([.. Enumerable.Repeat((byte)0x81, 17), 0x00], CborOracle.Differences.Limits);
        Assert.True(CborOracle.Ours([.. Enumerable.Repeat((byte)0x81, 16), 0x00]).Accepted);
    }

    [Fact]
    public void Difference_our_item_limit_refuses_a_long_array_System_Formats_Cbor_reads()
    {
        // 5000 integers in one array: more than the 4096 items we read before giving up.
        OnlyWeRefuse([0x99, 0x13, 0x88, .. new byte[5000]], CborOracle.Differences.Limits);
    }

    [Theory]
    [InlineData(new byte[] { 0xE0 })]        // simple(0)
    [InlineData(new byte[] { 0xF3 })]        // simple(19)
    [InlineData(new byte[] { 0xF8, 0x20 })]  // simple(32), two-byte form
    [InlineData(new byte[] { 0xF8, 0xFF })]  // simple(255)
    public void Difference_simple_values_WebAuthn_does_not_use_are_refused(byte[] input)
    {
        OnlyWeRefuse(input, CborOracle.Differences.SimpleValues);
    }

    [Theory]
    [InlineData(new byte[] { 0xA1, 0x80, 0x01 })]       // {[]: 1}
    [InlineData(new byte[] { 0xA1, 0xF5, 0x01 })]       // {true: 1}
    [InlineData(new byte[] { 0xA1, 0xA0, 0x01 })]       // {{}: 1}
    public void Difference_map_keys_that_are_not_integers_text_or_bytes_are_refused(byte[] input)
    {
        OnlyWeRefuse(input, CborOracle.Differences.MapKeyTypes);
    }

    [Theory]
    [InlineData(new byte[] { 0x18, 0x17 })]                   // 23 in two bytes: not minimal
    [InlineData(new byte[] { 0x9F, 0xFF })]                   // indefinite-length array
    [InlineData(new byte[] { 0xC1, 0x00 })]                   // a tag
    [InlineData(new byte[] { 0xA2, 0x20, 0x00, 0x01, 0x00 })] // {-1, 1}: out of CTAP2 order
    [InlineData(new byte[] { 0xA2, 0x01, 0x00, 0x01, 0x00 })] // duplicate key
    [InlineData(new byte[] { 0x62, 0xC0, 0xAF })]             // overlong UTF-8 in text
    [InlineData(new byte[] { 0x63, 0xED, 0xA0, 0x80 })]       // an encoded surrogate in text
    [InlineData(new byte[] { 0x00, 0x00 })]                   // trailing bytes
    [InlineData(new byte[] { 0xF8, 0x10 })]                   // two-byte simple below 32: not well-formed
    public void Both_refuse_what_CTAP2_canonical_CBOR_forbids(byte[] input)
    {
        Assert.False(CborOracle.Ours(input).Accepted);
        Assert.False(CborOracle.Theirs(input).Accepted);
    }
}
