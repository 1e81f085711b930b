using System.Buffers.Binary;

namespace Passkeys.Attestation.Tpm;

/// <summary>
/// A bounds-checked big-endian reader over TPM 2.0 marshalled structures (TPM 2.0 Library Part 2).
/// Every read checks the remaining length first and fails with
/// <see cref="PasskeyError.MalformedAttestationStatement"/> naming the structure and field.
/// </summary>
internal ref struct TpmReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _structure;
    private int _offset;

    public TpmReader(ReadOnlySpan<byte> data, string structure)
    {
        _data = data;
        _structure = structure;
        _offset = 0;
    }

    public readonly int Offset => _offset;

    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16BigEndian(Take(2, field));

    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32BigEndian(Take(4, field));

    public ulong ReadUInt64(string field) => BinaryPrimitives.ReadUInt64BigEndian(Take(8, field));

    public byte ReadByte(string field) => Take(1, field)[0];

    /// <summary>A TPM2B_*: a UINT16 size followed by that many bytes.</summary>
    public byte[] ReadSized(string field)
    {
        int size = ReadUInt16($"{field}.size");
        return Take(size, field).ToArray();
    }

    /// <summary>Every byte not yet read.</summary>
    public byte[] ReadRest()
    {
        byte[] rest = _data[_offset..].ToArray();
        _offset = _data.Length;
        return rest;
    }

    /// <summary>Fails unless every byte was consumed (no trailing data).</summary>
    public readonly void EnsureEnd()
    {
        if (_offset != _data.Length)
        {
            throw new PasskeyException(PasskeyError.MalformedAttestationStatement,
                $"{_structure} has {_data.Length - _offset} trailing byte(s) after offset {_offset}");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (_data.Length - _offset < count)
        {
            throw new PasskeyException(PasskeyError.MalformedAttestationStatement,
                $"{_structure}.{field} needs {count} byte(s) at offset {_offset}, but only {_data.Length - _offset} remain");
        }
        var slice = _data.Slice(_offset, count);
        _offset += count;
        return slice;
    }
}
