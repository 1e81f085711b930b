using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Passkeys.Encoding;

/// <summary>
/// Writes CBOR with minimal heads and definite lengths. <see cref="Encode(CborValue)"/> produces
/// CTAP2 canonical form (map keys sorted); the low-level Write methods write exactly what they are
/// told, so a caller that needs a specific order (or, in tests, a deliberately wrong one) can have it.
/// </summary>
public sealed class CborWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    /// <summary>Creates a writer with an initial capacity.</summary>
    public CborWriter(int initialCapacity = 256) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    /// <summary>A copy of the bytes written so far.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    /// <summary>Encodes <paramref name="value"/> in CTAP2 canonical form.</summary>
    public static byte[] Encode(CborValue value)
    {
        var writer = new CborWriter();
        writer.WriteValue(value);
        return writer.ToArray();
    }

    /// <summary>Writes an integer.</summary>
    public void WriteInt64(long value)
    {
        if (value >= 0)
        {
            WriteHead(CborMajorType.UnsignedInteger, (ulong)value);
        }
        else
        {
            WriteHead(CborMajorType.NegativeInteger, (ulong)(-1 - value));
        }
    }

    /// <summary>Writes a byte string.</summary>
    public void WriteByteString(ReadOnlySpan<byte> value)
    {
        WriteHead(CborMajorType.ByteString, (ulong)value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes a UTF-8 text string.</summary>
    public void WriteTextString(string value)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteHead(CborMajorType.TextString, (ulong)length);
        var span = _buffer.GetSpan(length);
        System.Text.Encoding.UTF8.GetBytes(value, span);
        _buffer.Advance(length);
    }

    /// <summary>Writes the head of an array of <paramref name="count"/> items; the items follow.</summary>
    public void WriteStartArray(int count) => WriteHead(CborMajorType.Array, (ulong)count);

    /// <summary>Writes the head of a map of <paramref name="count"/> entries; keys and values follow in turn.</summary>
    public void WriteStartMap(int count) => WriteHead(CborMajorType.Map, (ulong)count);

    /// <summary>Writes true or false.</summary>
    public void WriteBoolean(bool value) => WriteRaw([value ? (byte)0xF5 : (byte)0xF4]);

    /// <summary>Writes null.</summary>
    public void WriteNull() => WriteRaw([0xF6]);

    /// <summary>Writes a tag head; the tagged item follows.</summary>
    public void WriteTag(ulong tag) => WriteHead(CborMajorType.Tag, tag);

    /// <summary>Writes bytes that are already CBOR.</summary>
    public void WriteEncoded(ReadOnlySpan<byte> encoded) => WriteRaw(encoded);

    /// <summary>Writes a value tree, sorting every map's keys into CTAP2 canonical order.</summary>
    public void WriteValue(CborValue value)
    {
        switch (value)
        {
            case CborInteger i:
                if (i.Value >= 0)
                {
                    WriteHead(CborMajorType.UnsignedInteger, (ulong)i.Value);
                }
                else
                {
                    WriteHead(CborMajorType.NegativeInteger, (ulong)(-1 - i.Value));
                }
                break;
            case CborByteString b:
                WriteByteString(b.Value.Span);
                break;
            case CborTextString t:
                WriteTextString(t.Value);
                break;
            case CborArray a:
                WriteStartArray(a.Items.Count);
                foreach (var item in a.Items)
                {
                    WriteValue(item);
                }
                break;
            case CborMap m:
                WriteCanonicalMap(m);
                break;
            case CborTag tag:
                WriteTag(tag.Tag);
                WriteValue(tag.Content);
                break;
            case CborSimple s:
                WriteRaw([(byte)(0xE0 | s.Value)]);
                break;
            case CborFloat f:
                Span<byte> head = stackalloc byte[9];
                head[0] = 0xFB;
                BinaryPrimitives.WriteDoubleBigEndian(head[1..], f.Value);
                WriteRaw(head);
                break;
            default:
                throw new ArgumentException($"Unknown CBOR value type {value.GetType().Name}", nameof(value));
        }
    }

    private void WriteCanonicalMap(CborMap map)
    {
        // Keys are encoded first (a constructed key's Encoded is its canonical form), then
        // sorted by the CTAP2 rule the decoder enforces.
        var entries = map.Entries.ToArray();
        Array.Sort(entries, static (x, y) => CborDecoder.CompareCanonical(x.Key, y.Key));
        WriteStartMap(entries.Length);
        foreach (var entry in entries)
        {
            WriteValue(entry.Key);
            WriteValue(entry.Value);
        }
    }

    private void WriteHead(CborMajorType major, ulong argument)
    {
        byte type = (byte)((int)major << 5);
        Span<byte> head = stackalloc byte[9];
        int length;
        if (argument < 24)
        {
            head[0] = (byte)(type | (byte)argument);
            length = 1;
        }
        else if (argument <= byte.MaxValue)
        {
            head[0] = (byte)(type | 24);
            head[1] = (byte)argument;
            length = 2;
        }
        else if (argument <= ushort.MaxValue)
        {
            head[0] = (byte)(type | 25);
            BinaryPrimitives.WriteUInt16BigEndian(head[1..], (ushort)argument);
            length = 3;
        }
        else if (argument <= uint.MaxValue)
        {
            head[0] = (byte)(type | 26);
            BinaryPrimitives.WriteUInt32BigEndian(head[1..], (uint)argument);
            length = 5;
        }
        else
        {
            head[0] = (byte)(type | 27);
            BinaryPrimitives.WriteUInt64BigEndian(head[1..], argument);
            length = 9;
        }
        WriteRaw(head[..length]);
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.GetSpan(bytes.Length));
        _buffer.Advance(bytes.Length);
    }
}
