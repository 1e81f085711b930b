using System.Formats.Cbor;
using System.Globalization;
using System.Text;
using Passkeys.Encoding;

namespace Passkeys.Cli.Fuzzing;

/// <summary>One decoder's answer: accepted, with the value in a diagnostic notation both sides share; or refused, with why.</summary>
internal readonly record struct CborVerdict(bool Accepted, string Text)
{
    public override string ToString() => Accepted ? "accepts " + Text : "refuses: " + Text;
}

/// <summary>
/// A second opinion on <see cref="CborDecoder"/> in CTAP2 canonical mode: System.Formats.Cbor's
/// <see cref="CborReader"/> with <see cref="CborConformanceMode.Ctap2Canonical"/>. On every input
/// both must give the same verdict and, where both accept, the same value, except for the
/// differences listed in <see cref="Explain"/>, each of which a named test demonstrates. Shared by
/// `passkeys fuzz` (target "cbor-oracle") and the differential property test.
/// </summary>
internal static class CborOracle
{
    /// <summary>Why our decoder may refuse what System.Formats.Cbor accepts: deliberate, documented rules.</summary>
    public static class Differences
    {
        /// <summary>Our bounds (<see cref="CborLimits.Default"/>): depth 16, 4096 items. System.Formats.Cbor has none.</summary>
        public const string Limits = "our depth and item limits";

        /// <summary>WebAuthn uses only false, true, null and undefined; other simple values are refused.</summary>
        public const string SimpleValues = "simple values WebAuthn does not use";

        /// <summary>Map keys must be integers, text or byte strings (COSE and CTAP2 use no other).</summary>
        public const string MapKeyTypes = "map keys that are not integers, text or byte strings";
    }

    /// <summary>Our decoder's verdict.</summary>
    public static CborVerdict Ours(byte[] data)
    {
        try
        {
            return new(true, Diagnostic(CborDecoder.Decode(data, CborConformance.Ctap2Canonical, "oracle")));
        }
        catch (PasskeyException e)
        {
            return new(false, e.Detail);
        }
    }

    /// <summary>System.Formats.Cbor's verdict (CTAP2 canonical, exactly one item).</summary>
    public static CborVerdict Theirs(byte[] data)
    {
        try
        {
            var reader = new CborReader(data, CborConformanceMode.Ctap2Canonical);
            var text = new StringBuilder();
            Read(reader, text);
            return reader.BytesRemaining == 0 ? new(true, text.ToString()) : new(false, $"{reader.BytesRemaining} trailing byte(s)");
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or ArgumentException)
        {
            return new(false, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Null when both decoders agree on <paramref name="data"/> (or differ only as
    /// <see cref="Explain"/> allows); otherwise what each said.
    /// </summary>
    public static string? Disagreement(byte[] data)
    {
        var ours = Ours(data);
        var theirs = Theirs(data);
        if (ours.Accepted == theirs.Accepted && (!ours.Accepted || ours.Text == theirs.Text))
        {
            return null;
        }
        return Explain(ours, theirs) is null ? $"ours {ours}; System.Formats.Cbor {theirs}" : null;
    }

    /// <summary>Which documented difference accounts for the two verdicts, or null when none does.</summary>
    public static string? Explain(CborVerdict ours, CborVerdict theirs)
    {
        if (ours.Accepted || !theirs.Accepted)
        {
            return null; // we never accept more than System.Formats.Cbor, nor decode differently
        }
        if (ours.Text.Contains("nesting deeper than", StringComparison.Ordinal) || ours.Text.Contains("data items", StringComparison.Ordinal))
        {
            return Differences.Limits;
        }
        if (ours.Text.Contains("is not used by WebAuthn", StringComparison.Ordinal))
        {
            return Differences.SimpleValues;
        }
        if (ours.Text.Contains("only integer, text and byte string keys", StringComparison.Ordinal))
        {
            return Differences.MapKeyTypes;
        }
        return null;
    }

    /// <summary>Our decoded value in the shared notation.</summary>
    public static string Diagnostic(CborValue value)
    {
        var text = new StringBuilder();
        Write(value, text);
        return text.ToString();
    }

    private static void Write(CborValue value, StringBuilder text)
    {
        switch (value)
        {
            case CborInteger i:
                text.Append(i.Value >= 0 ? "u" + i.Value.ToString(CultureInfo.InvariantCulture) : "n" + (-1 - i.Value).ToString(CultureInfo.InvariantCulture));
                break;
            case CborByteString b:
                text.Append("h'").Append(Convert.ToHexStringLower(b.Value.Span)).Append('\'');
                break;
            case CborTextString t:
                AppendText(t.Value, text);
                break;
            case CborArray a:
                text.Append('[');
                for (int n = 0; n < a.Items.Count; n++)
                {
                    text.Append(n == 0 ? "" : ",");
                    Write(a.Items[n], text);
                }
                text.Append(']');
                break;
            case CborMap m:
                text.Append('{');
                for (int n = 0; n < m.Entries.Count; n++)
                {
                    text.Append(n == 0 ? "" : ",");
                    Write(m.Entries[n].Key, text);
                    text.Append(':');
                    Write(m.Entries[n].Value, text);
                }
                text.Append('}');
                break;
            case Passkeys.Encoding.CborTag tag:
                text.Append("tag").Append(tag.Tag).Append('(');
                Write(tag.Content, text);
                text.Append(')');
                break;
            case CborSimple s:
                text.Append("simple").Append(s.Value);
                break;
            case CborFloat f:
                AppendFloat(f.Value, text);
                break;
            default:
                throw new InvalidOperationException($"unknown CBOR value {value.GetType().Name}");
        }
    }

    private static void Read(CborReader reader, StringBuilder text)
    {
        switch (reader.PeekState())
        {
            case CborReaderState.UnsignedInteger:
                text.Append('u').Append(reader.ReadUInt64());
                break;
            case CborReaderState.NegativeInteger:
                text.Append('n').Append(reader.ReadCborNegativeIntegerRepresentation());
                break;
            case CborReaderState.ByteString:
                text.Append("h'").Append(Convert.ToHexStringLower(reader.ReadByteString())).Append('\'');
                break;
            case CborReaderState.TextString:
                AppendText(reader.ReadTextString(), text);
                break;
            case CborReaderState.StartArray:
                reader.ReadStartArray();
                text.Append('[');
                for (int n = 0; reader.PeekState() != CborReaderState.EndArray; n++)
                {
                    text.Append(n == 0 ? "" : ",");
                    Read(reader, text);
                }
                reader.ReadEndArray();
                text.Append(']');
                break;
            case CborReaderState.StartMap:
                reader.ReadStartMap();
                text.Append('{');
                for (int n = 0; reader.PeekState() != CborReaderState.EndMap; n++)
                {
                    text.Append(n == 0 ? "" : ",");
                    Read(reader, text);
                    text.Append(':');
                    Read(reader, text);
                }
                reader.ReadEndMap();
                text.Append('}');
                break;
            case CborReaderState.Tag:
                text.Append("tag").Append((ulong)reader.ReadTag()).Append('(');
                Read(reader, text);
                text.Append(')');
                break;
            case CborReaderState.Boolean or CborReaderState.Null or CborReaderState.Undefined or CborReaderState.SimpleValue:
                text.Append("simple").Append((byte)reader.ReadSimpleValue());
                break;
            case CborReaderState.HalfPrecisionFloat:
                AppendFloat((double)reader.ReadHalf(), text);
                break;
            case CborReaderState.SinglePrecisionFloat:
                AppendFloat(reader.ReadSingle(), text);
                break;
            case CborReaderState.DoublePrecisionFloat:
                AppendFloat(reader.ReadDouble(), text);
                break;
            case var state:
                throw new FormatException($"unexpected reader state {state}");
        }
    }

    // Strings compare exactly: the notation escapes nothing away, it only marks the kind.
    private static void AppendText(string value, StringBuilder text) => text.Append("t(").Append(value.Length).Append(')').Append(value);

    private static void AppendFloat(double value, StringBuilder text) =>
        text.Append('f').Append(BitConverter.DoubleToInt64Bits(value).ToString("x16", CultureInfo.InvariantCulture));
}
