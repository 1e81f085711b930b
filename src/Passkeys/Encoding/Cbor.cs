namespace Passkeys.Encoding;

/// <summary>
/// Typed accessors over decoded CBOR that turn a shape mismatch into a <see cref="PasskeyException"/>
/// naming the structure and member, so callers read like the CDDL they implement.
/// </summary>
public static class Cbor
{
    /// <summary>Requires <paramref name="value"/> to be a map.</summary>
    public static CborMap AsMap(CborValue? value, PasskeyError error, string what) =>
        value as CborMap ?? throw WrongType(error, what, "a map", value);

    /// <summary>Requires <paramref name="value"/> to be a byte string.</summary>
    public static ReadOnlyMemory<byte> AsBytes(CborValue? value, PasskeyError error, string what) =>
        value is CborByteString b ? b.Value : throw WrongType(error, what, "a byte string", value);

    /// <summary>Requires <paramref name="value"/> to be a text string.</summary>
    public static string AsText(CborValue? value, PasskeyError error, string what) =>
        value is CborTextString t ? t.Value : throw WrongType(error, what, "a text string", value);

    /// <summary>Requires <paramref name="value"/> to be an integer that fits in 64 bits.</summary>
    public static long AsInt64(CborValue? value, PasskeyError error, string what) =>
        (value as CborInteger)?.AsInt64() ?? throw WrongType(error, what, "a 64-bit integer", value);

    /// <summary>Requires <paramref name="value"/> to be an array.</summary>
    public static IReadOnlyList<CborValue> AsArray(CborValue? value, PasskeyError error, string what) =>
        value is CborArray a ? a.Items : throw WrongType(error, what, "an array", value);

    /// <summary>Requires <paramref name="value"/> to be true or false.</summary>
    public static bool AsBoolean(CborValue? value, PasskeyError error, string what) =>
        (value as CborSimple)?.AsBoolean() ?? throw WrongType(error, what, "a boolean", value);

    private static PasskeyException WrongType(PasskeyError error, string what, string expected, CborValue? actual) =>
        new(error, actual is null ? $"{what} is missing" : $"{what} must be {expected}, not a {actual.Kind}");
}
