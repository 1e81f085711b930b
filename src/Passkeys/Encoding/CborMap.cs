namespace Passkeys.Encoding;

/// <summary>
/// A map (major type 5) with integer, text or byte-string keys, in the order they were read.
/// Duplicate keys are rejected by the decoder, so a lookup has exactly one answer.
/// </summary>
public sealed class CborMap : CborValue
{
    /// <summary>Creates a map; the writer sorts keys into CTAP2 canonical order when encoding.</summary>
    public CborMap(IReadOnlyList<KeyValuePair<CborValue, CborValue>> entries) : this(entries, null) { }

    internal CborMap(IReadOnlyList<KeyValuePair<CborValue, CborValue>> entries, ReadOnlyMemory<byte>? encoded)
        : base(encoded) => Entries = entries;

    /// <summary>The entries in input order.</summary>
    public IReadOnlyList<KeyValuePair<CborValue, CborValue>> Entries { get; }

    /// <summary>The number of entries.</summary>
    public int Count => Entries.Count;

    /// <inheritdoc />
    public override CborMajorType MajorType => CborMajorType.Map;

    /// <inheritdoc />
    public override string Kind => "map";

    /// <summary>Looks up an integer key.</summary>
    public CborValue? this[long key]
    {
        get
        {
            foreach (var entry in Entries)
            {
                if (entry.Key is CborInteger i && i.Value == key)
                {
                    return entry.Value;
                }
            }
            return null;
        }
    }

    /// <summary>Looks up a text key.</summary>
    public CborValue? this[string key]
    {
        get
        {
            foreach (var entry in Entries)
            {
                if (entry.Key is CborTextString t && string.Equals(t.Value, key, StringComparison.Ordinal))
                {
                    return entry.Value;
                }
            }
            return null;
        }
    }

    /// <summary>Whether two keys denote the same value (used for duplicate detection).</summary>
    internal static bool KeysEqual(CborValue a, CborValue b) => (a, b) switch
    {
        (CborInteger x, CborInteger y) => x.Value == y.Value,
        (CborTextString x, CborTextString y) => string.Equals(x.Value, y.Value, StringComparison.Ordinal),
        (CborByteString x, CborByteString y) => x.Value.Span.SequenceEqual(y.Value.Span),
        _ => false,
    };
}
