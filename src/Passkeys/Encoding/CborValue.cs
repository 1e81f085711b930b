namespace Passkeys.Encoding;

/// <summary>CBOR major types (RFC 8949 §3.1).</summary>
public enum CborMajorType : byte
{
    /// <summary>Major type 0.</summary>
    UnsignedInteger = 0,
    /// <summary>Major type 1.</summary>
    NegativeInteger = 1,
    /// <summary>Major type 2.</summary>
    ByteString = 2,
    /// <summary>Major type 3.</summary>
    TextString = 3,
    /// <summary>Major type 4.</summary>
    Array = 4,
    /// <summary>Major type 5.</summary>
    Map = 5,
    /// <summary>Major type 6.</summary>
    Tag = 6,
    /// <summary>Major type 7: simple values and floats.</summary>
    SimpleOrFloat = 7,
}

/// <summary>
/// A decoded CBOR data item. Decoded items remember the exact bytes they were read from
/// (<see cref="Encoded"/>), so a COSE key can be stored byte for byte as the authenticator sent it.
/// </summary>
public abstract class CborValue
{
    private ReadOnlyMemory<byte>? _encoded;

    private protected CborValue(ReadOnlyMemory<byte>? encoded) => _encoded = encoded;

    /// <summary>The item's major type.</summary>
    public abstract CborMajorType MajorType { get; }

    /// <summary>
    /// The item's encoding: the input bytes it was decoded from, or for a constructed item its
    /// CTAP2 canonical encoding.
    /// </summary>
    public ReadOnlyMemory<byte> Encoded => _encoded ??= CborWriter.Encode(this);

    /// <summary>A short description of the item's kind for error messages.</summary>
    public abstract string Kind { get; }
}

/// <summary>An integer (major types 0 and 1). The full CBOR range, −2⁶⁴ … 2⁶⁴−1, fits in <see cref="Int128"/>.</summary>
public sealed class CborInteger : CborValue
{
    /// <summary>Creates an integer.</summary>
    public CborInteger(long value) : this(value, null) { }

    internal CborInteger(Int128 value, ReadOnlyMemory<byte>? encoded) : base(encoded) => Value = value;

    /// <summary>The value.</summary>
    public Int128 Value { get; }

    /// <inheritdoc />
    public override CborMajorType MajorType => Value < 0 ? CborMajorType.NegativeInteger : CborMajorType.UnsignedInteger;

    /// <inheritdoc />
    public override string Kind => "integer";

    /// <summary>The value as <see cref="long"/>, or null when it does not fit.</summary>
    public long? AsInt64() => Value >= long.MinValue && Value <= long.MaxValue ? (long)Value : null;
}

/// <summary>A byte string (major type 2). Definite-length strings are slices of the input, not copies.</summary>
public sealed class CborByteString : CborValue
{
    /// <summary>Creates a byte string.</summary>
    public CborByteString(ReadOnlyMemory<byte> value) : this(value, null) { }

    internal CborByteString(ReadOnlyMemory<byte> value, ReadOnlyMemory<byte>? encoded) : base(encoded) => Value = value;

    /// <summary>The bytes.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <inheritdoc />
    public override CborMajorType MajorType => CborMajorType.ByteString;

    /// <inheritdoc />
    public override string Kind => "byte string";
}

/// <summary>A UTF-8 text string (major type 3).</summary>
public sealed class CborTextString : CborValue
{
    /// <summary>Creates a text string.</summary>
    public CborTextString(string value) : this(value, null) { }

    internal CborTextString(string value, ReadOnlyMemory<byte>? encoded) : base(encoded) => Value = value;

    /// <summary>The text.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override CborMajorType MajorType => CborMajorType.TextString;

    /// <inheritdoc />
    public override string Kind => "text string";
}

/// <summary>An array (major type 4).</summary>
public sealed class CborArray : CborValue
{
    /// <summary>Creates an array.</summary>
    public CborArray(IReadOnlyList<CborValue> items) : this(items, null) { }

    internal CborArray(IReadOnlyList<CborValue> items, ReadOnlyMemory<byte>? encoded) : base(encoded) => Items = items;

    /// <summary>The items in order.</summary>
    public IReadOnlyList<CborValue> Items { get; }

    /// <inheritdoc />
    public override CborMajorType MajorType => CborMajorType.Array;

    /// <inheritdoc />
    public override string Kind => "array";
}

/// <summary>A tagged item (major type 6).</summary>
public sealed class CborTag : CborValue
{
    /// <summary>Creates a tagged item.</summary>
    public CborTag(ulong tag, CborValue content) : this(tag, content, null) { }

    internal CborTag(ulong tag, CborValue content, ReadOnlyMemory<byte>? encoded) : base(encoded)
    {
        Tag = tag;
        Content = content;
    }

    /// <summary>The tag number.</summary>
    public ulong Tag { get; }

    /// <summary>The tagged item.</summary>
    public CborValue Content { get; }

    /// <inheritdoc />
    public override CborMajorType MajorType => CborMajorType.Tag;

    /// <inheritdoc />
    public override string Kind => "tag";
}

/// <summary>The simple values false, true, null and undefined (major type 7).</summary>
public sealed class CborSimple : CborValue
{
    /// <summary>false.</summary>
    public static readonly CborSimple False = new(20, null);
    /// <summary>true.</summary>
    public static readonly CborSimple True = new(21, null);
    /// <summary>null.</summary>
    public static readonly CborSimple Null = new(22, null);
    /// <summary>undefined.</summary>
    public static readonly CborSimple Undefined = new(23, null);

    internal CborSimple(byte value, ReadOnlyMemory<byte>? encoded) : base(encoded) => Value = value;

    /// <summary>The simple value number (20–23).</summary>
    public byte Value { get; }

    /// <summary>Whether this is true or false; null for null and undefined.</summary>
    public bool? AsBoolean() => Value switch { 20 => false, 21 => true, _ => null };

    /// <inheritdoc />
    public override CborMajorType MajorType => CborMajorType.SimpleOrFloat;

    /// <inheritdoc />
    public override string Kind => Value switch { 20 => "false", 21 => "true", 22 => "null", _ => "undefined" };
}

/// <summary>A floating-point number (major type 7, half, single or double precision).</summary>
public sealed class CborFloat : CborValue
{
    /// <summary>Creates a float (encoded as double precision).</summary>
    public CborFloat(double value) : this(value, null) { }

    internal CborFloat(double value, ReadOnlyMemory<byte>? encoded) : base(encoded) => Value = value;

    /// <summary>The value.</summary>
    public double Value { get; }

    /// <inheritdoc />
    public override CborMajorType MajorType => CborMajorType.SimpleOrFloat;

    /// <inheritdoc />
    public override string Kind => "float";
}
