namespace Passkeys.Cli.Fuzzing;

/// <summary>
/// Strings no browser sends but an attacker can, put inside the strings (values and member names)
/// of JSON text: escaped lone surrogates, NUL and line breaks, and bytes that are not UTF-8
/// (invalid, overlong, encoded surrogates, beyond U+10FFFF, truncated). Byte mutation rarely makes
/// these, and each was a way past System.Text.Json's checks.
/// </summary>
internal static class HostileStrings
{
    /// <summary>String contents, as the raw bytes to put between the quotes.</summary>
    public static IReadOnlyList<byte[]> Pieces { get; } =
    [
        @"\ud800"u8.ToArray(), @"\udc00"u8.ToArray(), @"\udc00\ud800"u8.ToArray(), @"\ud83d"u8.ToArray(), @"\uDBFF\u0041"u8.ToArray(),
        @"\u0000"u8.ToArray(), @"\r\n"u8.ToArray(), @"\u2028"u8.ToArray(), @"\\"u8.ToArray(),
        [0xFF], [0xC0, 0xAF], [0xC0, 0x80], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
    ];

    /// <summary>A random piece.</summary>
    public static byte[] Any(Random random) => Pieces[random.Next(Pieces.Count)];

    /// <summary>
    /// <paramref name="json"/> with one of its strings (a value or a member name, chosen at random)
    /// given a hostile piece: as a prefix, a suffix, or its whole contents.
    /// </summary>
    public static byte[] Mutate(Random random, byte[] json)
    {
        var strings = StringSpans(json);
        if (strings.Count == 0)
        {
            return [.. Any(random), .. json];
        }
        var (start, end) = strings[random.Next(strings.Count)];
        byte[] piece = Any(random);
        return random.Next(3) switch
        {
            0 => [.. json.AsSpan(0, start), .. piece, .. json.AsSpan(start)],
            1 => [.. json.AsSpan(0, end), .. piece, .. json.AsSpan(end)],
            _ => [.. json.AsSpan(0, start), .. piece, .. json.AsSpan(end)],
        };
    }

    /// <summary>The contents (between the quotes) of every string in JSON text.</summary>
    private static List<(int Start, int End)> StringSpans(byte[] json)
    {
        var spans = new List<(int, int)>();
        for (int i = 0; i < json.Length; i++)
        {
            if (json[i] != (byte)'"')
            {
                continue;
            }
            int start = i + 1;
            int j = start;
            while (j < json.Length && json[j] != (byte)'"')
            {
                j += json[j] == (byte)'\\' ? 2 : 1;
            }
            if (j >= json.Length)
            {
                break;
            }
            spans.Add((start, j));
            i = j;
        }
        return spans;
    }
}
