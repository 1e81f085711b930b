using System.Buffers.Binary;
using System.Text;

namespace Passkeys.Encoding;

/// <summary>How strictly <see cref="CborDecoder"/> reads.</summary>
public enum CborConformance
{
    /// <summary>
    /// Well-formed CBOR as clients really send it: indefinite lengths and non-minimal heads are
    /// accepted; duplicate map keys, invalid UTF-8 and trailing bytes are not. Used for the outer
    /// attestation object, which browsers re-encode in their own way.
    /// </summary>
    Lax,

    /// <summary>
    /// CTAP2 canonical CBOR (CTAP 2.1 §8, "CTAP2 canonical CBOR encoding form"): minimal heads,
    /// definite lengths, map keys sorted by major type, then length, then bytes; no tags. Used for
    /// what authenticators must produce: COSE keys and the extensions in authenticator data.
    /// </summary>
    Ctap2Canonical,
}

/// <summary>Bounds on what <see cref="CborDecoder"/> accepts, so hostile input cannot exhaust memory or stack.</summary>
/// <param name="MaxDepth">Greatest nesting of arrays, maps and tags.</param>
/// <param name="MaxItems">Greatest total number of data items.</param>
public readonly record struct CborLimits(int MaxDepth, int MaxItems)
{
    /// <summary>Limits that comfortably fit every WebAuthn structure: depth 16, 4096 items.</summary>
    public static CborLimits Default { get; } = new(16, 4096);
}

/// <summary>
/// A strict CBOR decoder (RFC 8949) into <see cref="CborValue"/> trees. Every length is checked
/// against the remaining input before it is used, depth and item counts are bounded, and any
/// problem becomes a <see cref="PasskeyException"/> with <see cref="PasskeyError.MalformedCbor"/>.
/// </summary>
public sealed class CborDecoder
{
    private readonly ReadOnlyMemory<byte> _data;
    private readonly CborConformance _conformance;
    private readonly CborLimits _limits;
    private readonly string _what;
    private int _pos;
    private int _items;

    private CborDecoder(ReadOnlyMemory<byte> data, int start, CborConformance conformance, CborLimits limits, string what)
    {
        _data = data;
        _pos = start;
        _conformance = conformance;
        _limits = limits;
        _what = what;
    }

    /// <summary>Decodes exactly one data item that must span all of <paramref name="data"/>.</summary>
    /// <param name="data">The encoded item.</param>
    /// <param name="conformance">How strictly to read.</param>
    /// <param name="what">Names the structure in error messages ("attestationObject").</param>
    /// <param name="limits">Bounds; <see cref="CborLimits.Default"/> when omitted.</param>
    public static CborValue Decode(ReadOnlyMemory<byte> data, CborConformance conformance, string what, CborLimits? limits = null)
    {
        var value = DecodeFirst(data, 0, conformance, what, out int end, limits);
        if (end != data.Length)
        {
            throw Malformed(what, $"{data.Length - end} trailing byte(s) after the item at offset {end}");
        }
        return value;
    }

    /// <summary>
    /// Decodes the one data item that starts at <paramref name="offset"/>, returning where it ends.
    /// Used where CBOR is embedded in a binary structure (the COSE key in authenticator data).
    /// </summary>
    public static CborValue DecodeFirst(ReadOnlyMemory<byte> data, int offset, CborConformance conformance, string what, out int end, CborLimits? limits = null)
    {
        if ((uint)offset > (uint)data.Length)
        {
            throw Malformed(what, $"offset {offset} is outside the {data.Length}-byte input");
        }
        var decoder = new CborDecoder(data, offset, conformance, limits ?? CborLimits.Default, what);
        var value = decoder.ReadItem(0);
        end = decoder._pos;
        return value;
    }

    private bool Canonical => _conformance == CborConformance.Ctap2Canonical;

    private CborValue ReadItem(int depth)
    {
        if (++_items > _limits.MaxItems)
        {
            throw Malformed($"more than {_limits.MaxItems} data items");
        }
        int start = _pos;
        byte initial = ReadByte();
        var major = (CborMajorType)(initial >> 5);
        int info = initial & 0x1F;

        if (major == CborMajorType.SimpleOrFloat)
        {
            return ReadSimpleOrFloat(info, start);
        }
        if (info == 31)
        {
            return ReadIndefinite(major, depth, start);
        }
        ulong argument = ReadArgument(info);
        switch (major)
        {
            case CborMajorType.UnsignedInteger:
                return new CborInteger(argument, Slice(start));
            case CborMajorType.NegativeInteger:
                return new CborInteger(-1 - (Int128)argument, Slice(start));
            case CborMajorType.ByteString:
                return new CborByteString(ReadBytes(argument), Slice(start));
            case CborMajorType.TextString:
                return new CborTextString(DecodeUtf8(ReadBytes(argument).Span), Slice(start));
            case CborMajorType.Array:
                return ReadArray(CheckCount(argument, 1), depth, start);
            case CborMajorType.Map:
                return ReadMap(CheckCount(argument, 2), depth, start);
            default: // Tag
                if (Canonical)
                {
                    throw Malformed($"tag {argument} at offset {start}: CTAP2 canonical CBOR has no tags");
                }
                EnterNested(depth);
                var content = ReadItem(depth + 1);
                return new CborTag(argument, content, Slice(start));
        }
    }

    private CborArray ReadArray(int count, int depth, int start)
    {
        EnterNested(depth);
        var items = new CborValue[count];
        for (int i = 0; i < count; i++)
        {
            items[i] = ReadItem(depth + 1);
        }
        return new CborArray(items, Slice(start));
    }

    private CborMap ReadMap(int count, int depth, int start)
    {
        EnterNested(depth);
        var entries = new List<KeyValuePair<CborValue, CborValue>>(count);
        for (int i = 0; i < count; i++)
        {
            entries.Add(ReadEntry(entries, depth));
        }
        return new CborMap(entries, Slice(start));
    }

    private KeyValuePair<CborValue, CborValue> ReadEntry(List<KeyValuePair<CborValue, CborValue>> previous, int depth)
    {
        int keyOffset = _pos;
        var key = ReadItem(depth + 1);
        if (key is not (CborInteger or CborTextString or CborByteString))
        {
            throw Malformed($"map key at offset {keyOffset} is a {key.Kind}; only integer, text and byte string keys are supported");
        }
        foreach (var entry in previous)
        {
            if (CborMap.KeysEqual(entry.Key, key))
            {
                throw Malformed($"duplicate map key at offset {keyOffset}");
            }
        }
        if (Canonical && previous.Count > 0 && CompareCanonical(previous[^1].Key, key) >= 0)
        {
            throw Malformed($"map key at offset {keyOffset} is out of CTAP2 canonical order");
        }
        var value = ReadItem(depth + 1);
        return new(key, value);
    }

    /// <summary>CTAP2 canonical key order: major type, then encoded length, then bytewise.</summary>
    internal static int CompareCanonical(CborValue a, CborValue b)
    {
        var ea = a.Encoded.Span;
        var eb = b.Encoded.Span;
        int byType = (ea[0] >> 5).CompareTo(eb[0] >> 5);
        if (byType != 0)
        {
            return byType;
        }
        int byLength = ea.Length.CompareTo(eb.Length);
        return byLength != 0 ? byLength : ea.SequenceCompareTo(eb);
    }

    private CborValue ReadIndefinite(CborMajorType major, int depth, int start)
    {
        if (Canonical)
        {
            throw Malformed($"indefinite-length item at offset {start}: CTAP2 canonical CBOR needs definite lengths");
        }
        switch (major)
        {
            case CborMajorType.ByteString:
            case CborMajorType.TextString:
                var chunks = new List<byte>();
                while (!TryReadBreak())
                {
                    int chunkStart = _pos;
                    byte initial = ReadByte();
                    if ((CborMajorType)(initial >> 5) != major || (initial & 0x1F) == 31)
                    {
                        throw Malformed($"chunk at offset {chunkStart} of an indefinite-length string is not a definite string of the same type");
                    }
                    chunks.AddRange(ReadBytes(ReadArgument(initial & 0x1F)).Span);
                    if (++_items > _limits.MaxItems)
                    {
                        throw Malformed($"more than {_limits.MaxItems} data items");
                    }
                }
                byte[] joined = [.. chunks];
                return major == CborMajorType.ByteString
                    ? new CborByteString(joined, Slice(start))
                    : new CborTextString(DecodeUtf8(joined), Slice(start));
            case CborMajorType.Array:
                EnterNested(depth);
                var items = new List<CborValue>();
                while (!TryReadBreak())
                {
                    items.Add(ReadItem(depth + 1));
                }
                return new CborArray(items, Slice(start));
            case CborMajorType.Map:
                EnterNested(depth);
                var entries = new List<KeyValuePair<CborValue, CborValue>>();
                while (!TryReadBreak())
                {
                    entries.Add(ReadEntry(entries, depth));
                }
                return new CborMap(entries, Slice(start));
            default:
                throw Malformed($"major type {(int)major} at offset {start} cannot have an indefinite length");
        }
    }

    private bool TryReadBreak()
    {
        if (_pos >= _data.Length)
        {
            throw Malformed("input ends inside an indefinite-length item (no break byte)");
        }
        if (_data.Span[_pos] == 0xFF)
        {
            _pos++;
            return true;
        }
        return false;
    }

    private CborValue ReadSimpleOrFloat(int info, int start)
    {
        switch (info)
        {
            case 20 or 21 or 22 or 23:
                return new CborSimple((byte)info, Slice(start));
            case 25:
                return new CborFloat((double)BinaryPrimitives.ReadHalfBigEndian(Take(2)), Slice(start));
            case 26:
                return new CborFloat(BinaryPrimitives.ReadSingleBigEndian(Take(4)), Slice(start));
            case 27:
                return new CborFloat(BinaryPrimitives.ReadDoubleBigEndian(Take(8)), Slice(start));
            case 31:
                throw Malformed($"break byte at offset {start} outside an indefinite-length item");
            case 24:
                byte simple = ReadByte();
                throw Malformed(simple < 32
                    ? $"two-byte simple value {simple} at offset {start} is not well-formed"
                    : $"simple value {simple} at offset {start} is not used by WebAuthn");
            case 28 or 29 or 30:
                throw Malformed($"reserved additional information {info} at offset {start}");
            default:
                throw Malformed($"simple value {info} at offset {start} is not used by WebAuthn");
        }
    }

    private ulong ReadArgument(int info)
    {
        int start = _pos - 1;
        ulong value;
        switch (info)
        {
            case < 24:
                return (ulong)info;
            case 24:
                value = ReadByte();
                if (Canonical && value < 24)
                {
                    throw NotMinimal(start);
                }
                return value;
            case 25:
                value = BinaryPrimitives.ReadUInt16BigEndian(Take(2));
                if (Canonical && value <= byte.MaxValue)
                {
                    throw NotMinimal(start);
                }
                return value;
            case 26:
                value = BinaryPrimitives.ReadUInt32BigEndian(Take(4));
                if (Canonical && value <= ushort.MaxValue)
                {
                    throw NotMinimal(start);
                }
                return value;
            case 27:
                value = BinaryPrimitives.ReadUInt64BigEndian(Take(8));
                if (Canonical && value <= uint.MaxValue)
                {
                    throw NotMinimal(start);
                }
                return value;
            default:
                throw Malformed($"reserved additional information {info} at offset {start}");
        }
    }

    private int CheckCount(ulong count, int bytesPerItem)
    {
        // Each item needs at least one byte, so a count larger than what remains is a lie
        // that would otherwise make us allocate before reading.
        ulong remaining = (ulong)(_data.Length - _pos);
        if (count > remaining / (ulong)bytesPerItem)
        {
            throw Malformed($"declares {count} element(s) but only {remaining} byte(s) remain");
        }
        return (int)count;
    }

    private void EnterNested(int depth)
    {
        if (depth + 1 > _limits.MaxDepth)
        {
            throw Malformed($"nesting deeper than {_limits.MaxDepth}");
        }
    }

    private byte ReadByte()
    {
        if (_pos >= _data.Length)
        {
            throw Malformed($"input ends at offset {_pos} where another byte is needed");
        }
        return _data.Span[_pos++];
    }

    private ReadOnlySpan<byte> Take(int count) => ReadBytes((ulong)count).Span;

    private ReadOnlyMemory<byte> ReadBytes(ulong count)
    {
        if (count > (ulong)(_data.Length - _pos))
        {
            throw Malformed($"needs {count} byte(s) at offset {_pos} but only {_data.Length - _pos} remain");
        }
        var slice = _data.Slice(_pos, (int)count);
        _pos += (int)count;
        return slice;
    }

    private ReadOnlyMemory<byte> Slice(int start) => _data[start.._pos];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new PasskeyException(PasskeyError.MalformedCbor, $"{_what}: text string is not valid UTF-8", e);
        }
    }

    private PasskeyException NotMinimal(int offset) =>
        Malformed($"head at offset {offset} is not minimally encoded, as CTAP2 canonical CBOR requires");

    private PasskeyException Malformed(string detail) => Malformed(_what, detail);

    private static PasskeyException Malformed(string what, string detail) =>
        new(PasskeyError.MalformedCbor, $"{what}: {detail}");
}
