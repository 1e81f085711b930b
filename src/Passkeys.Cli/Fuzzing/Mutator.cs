namespace Passkeys.Cli.Fuzzing;

/// <summary>
/// Byte-string mutations of real inputs: bit flips, interesting bytes, truncations, insertions,
/// deletions, duplications, CBOR head and big-endian length-field corruptions, and occasionally
/// plain random bytes. Driven only by the <see cref="Random"/> passed in, so a seed replays.
/// </summary>
internal static class Mutator
{
    private static readonly byte[] s_interesting = [0x00, 0x01, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1F, 0x20, 0x3F, 0x40, 0x5F, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xF4, 0xF5, 0xF6, 0xF7, 0xF9, 0xFB, 0xFF];

    /// <summary>One to four mutations of <paramref name="seed"/>.</summary>
    public static byte[] Mutate(Random random, ReadOnlySpan<byte> seed)
    {
        var data = seed.ToArray();
        int count = random.Next(4) == 0 ? random.Next(2, 5) : 1;
        for (int i = 0; i < count; i++)
        {
            data = MutateOnce(random, data);
        }
        return data;
    }

    /// <summary>Random bytes (for targets without seeds, and a share of every run).</summary>
    public static byte[] RandomBytes(Random random, int maxLength)
    {
        var data = new byte[random.Next(maxLength + 1)];
        random.NextBytes(data);
        return data;
    }

    private static byte[] MutateOnce(Random r, byte[] data)
    {
        if (data.Length == 0)
        {
            return RandomBytes(r, 16);
        }
        int pos = r.Next(data.Length);
        switch (r.Next(10))
        {
            case 0:
            case 1:
                data[pos] ^= (byte)(1 << r.Next(8));
                return data;
            case 2:
                data[pos] = s_interesting[r.Next(s_interesting.Length)];
                return data;
            case 3:
                return data[..r.Next(data.Length)];
            case 4:
            {
                var insert = new byte[r.Next(1, 9)];
                if (r.Next(2) == 0)
                {
                    r.NextBytes(insert);
                }
                else
                {
                    Array.Fill(insert, s_interesting[r.Next(s_interesting.Length)]);
                }
                return [.. data.AsSpan(0, pos), .. insert, .. data.AsSpan(pos)];
            }
            case 5:
            {
                int length = Math.Min(r.Next(1, 17), data.Length - pos);
                return [.. data.AsSpan(0, pos), .. data.AsSpan(pos + length)];
            }
            case 6:
            {
                int length = Math.Min(r.Next(1, 33), data.Length - pos);
                return [.. data.AsSpan(0, pos + length), .. data.AsSpan(pos, length), .. data.AsSpan(pos + length)];
            }
            case 7:
                return CorruptCborHead(r, data, pos);
            case 8:
                return CorruptLengthField(r, data, pos);
            default:
                return r.Next(8) == 0 ? RandomBytes(r, data.Length + 8) : CorruptCborHead(r, data, FindCborHead(r, data));
        }
    }

    // A CBOR head whose major type carries a length (byte/text string, array, map, tag): give it a
    // different additional-info value and length bytes (huge, zero, off by one, indefinite, reserved).
    private static byte[] CorruptCborHead(Random r, byte[] data, int pos)
    {
        int major = data[pos] & 0xE0;
        int choice = r.Next(7);
        byte[] head = choice switch
        {
            0 => [(byte)(major | r.Next(24))],
            1 => [(byte)(major | 24), (byte)r.Next(256)],
            2 => [(byte)(major | 25), 0xFF, 0xFF],
            3 => [(byte)(major | 26), 0x7F, 0xFF, 0xFF, 0xFF],
            4 => [(byte)(major | 27), 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
            5 => [(byte)(major | 31)],
            _ => [(byte)(major | (28 + r.Next(3)))],
        };
        int replaced = Math.Min(HeadLength(data[pos]), data.Length - pos);
        return [.. data.AsSpan(0, pos), .. head, .. data.AsSpan(pos + replaced)];
    }

    // A 1-, 2- or 4-byte big-endian length (authenticator data's credentialIdLength, TPM2B sizes,
    // DER lengths): set it to zero, all ones, or one more or less than it was.
    private static byte[] CorruptLengthField(Random r, byte[] data, int pos)
    {
        int width = new[] { 1, 2, 2, 4 }[r.Next(4)];
        if (pos + width > data.Length)
        {
            return data;
        }
        ulong value = 0;
        for (int i = 0; i < width; i++)
        {
            value = (value << 8) | data[pos + i];
        }
        ulong max = width == 8 ? ulong.MaxValue : (1UL << (8 * width)) - 1;
        value = r.Next(4) switch
        {
            0 => 0,
            1 => max,
            2 => (value + 1) & max,
            _ => (value - 1) & max,
        };
        for (int i = width - 1; i >= 0; i--)
        {
            data[pos + i] = (byte)value;
            value >>= 8;
        }
        return data;
    }

    private static int FindCborHead(Random r, byte[] data)
    {
        for (int tries = 0; tries < 16; tries++)
        {
            int pos = r.Next(data.Length);
            if ((data[pos] >> 5) is 2 or 3 or 4 or 5)
            {
                return pos;
            }
        }
        return r.Next(data.Length);
    }

    private static int HeadLength(byte initial) => (initial & 0x1F) switch
    {
        24 => 2,
        25 => 3,
        26 => 5,
        27 => 9,
        _ => 1,
    };
}
