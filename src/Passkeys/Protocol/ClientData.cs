using System.Text.Json;
using System.Text.Unicode;

namespace Passkeys.Protocol;

/// <summary>
/// A view of CollectedClientData (WebAuthn L3 §5.8.1) over the raw clientDataJSON bytes, parsed
/// without allocating: each member is a span of the input (or, in the rare case that a member uses
/// JSON escapes, of an unescaped copy). Parsing checks shape only; the ceremonies compare values.
/// </summary>
/// <remarks>
/// REG-05/AUTH-08: the bytes must be UTF-8 and a leading byte-order mark is dropped.
/// REG-06/AUTH-09: members may come in any order and unknown members are ignored (Chromium adds
/// "other_keys_can_be_added_here" at random); a known member that appears twice is refused, so that
/// two parsers can never disagree about which value counts.
/// </remarks>
public readonly ref struct ClientData
{
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    private ClientData(ReadOnlySpan<byte> type, ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> origin,
        bool? crossOrigin, bool hasTopOrigin, ReadOnlySpan<byte> topOrigin)
    {
        Type = type;
        Challenge = challenge;
        Origin = origin;
        CrossOrigin = crossOrigin;
        HasTopOrigin = hasTopOrigin;
        TopOrigin = topOrigin;
    }

    /// <summary>The type member, UTF-8 ("webauthn.create" or "webauthn.get").</summary>
    public ReadOnlySpan<byte> Type { get; }

    /// <summary>The challenge member: base64url text, UTF-8.</summary>
    public ReadOnlySpan<byte> Challenge { get; }

    /// <summary>The origin member, UTF-8.</summary>
    public ReadOnlySpan<byte> Origin { get; }

    /// <summary>The crossOrigin member, or null when absent.</summary>
    public bool? CrossOrigin { get; }

    /// <summary>Whether the topOrigin member is present.</summary>
    public bool HasTopOrigin { get; }

    /// <summary>The topOrigin member, UTF-8 (empty when absent).</summary>
    public ReadOnlySpan<byte> TopOrigin { get; }

    /// <summary>Parses clientDataJSON.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.MalformedClientData"/>.</exception>
    public static ClientData Parse(ReadOnlySpan<byte> clientDataJson)
    {
        // REG-05 / AUTH-08: UTF-8 decode, dropping a leading BOM.
        if (clientDataJson.StartsWith(Bom))
        {
            clientDataJson = clientDataJson[Bom.Length..];
        }
        if (!Utf8.IsValid(clientDataJson))
        {
            throw Malformed("is not valid UTF-8");
        }

        // REG-06 / AUTH-09: parse as JSON.
        ReadOnlySpan<byte> type = default, challenge = default, origin = default, topOrigin = default;
        bool hasType = false, hasChallenge = false, hasOrigin = false, hasTopOrigin = false;
        bool? crossOrigin = null;
        try
        {
            var reader = new Utf8JsonReader(clientDataJson, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Malformed("is not a JSON object");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    type = ReadString(clientDataJson, ref reader, "type", ref hasType);
                }
                else if (reader.ValueTextEquals("challenge"u8))
                {
                    challenge = ReadString(clientDataJson, ref reader, "challenge", ref hasChallenge);
                }
                else if (reader.ValueTextEquals("origin"u8))
                {
                    origin = ReadString(clientDataJson, ref reader, "origin", ref hasOrigin);
                }
                else if (reader.ValueTextEquals("topOrigin"u8))
                {
                    topOrigin = ReadString(clientDataJson, ref reader, "topOrigin", ref hasTopOrigin);
                }
                else if (reader.ValueTextEquals("crossOrigin"u8))
                {
                    if (crossOrigin is not null)
                    {
                        throw Malformed("has crossOrigin twice");
                    }
                    reader.Read();
                    crossOrigin = reader.TokenType switch
                    {
                        JsonTokenType.True => true,
                        JsonTokenType.False => false,
                        _ => throw Malformed($"crossOrigin must be a boolean, not {reader.TokenType}"),
                    };
                }
                else
                {
                    // Unknown members (tokenBinding, other_keys_can_be_added_here, …) are tolerated,
                    // but like the known ones they must be valid Unicode.
                    JsonReaderChecks.SkipMember(ref reader);
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw Malformed("has content after the top-level object");
            }
        }
        catch (JsonException e)
        {
            throw new PasskeyException(PasskeyError.MalformedClientData, $"clientDataJSON is not well-formed JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader checks escapes only when it unescapes (ValueTextEquals on a member name,
            // CopyString on a value): an escaped lone surrogate ("\ud800") is well-formed JSON text
            // but no Unicode string, and throws this rather than JsonException.
            throw new PasskeyException(PasskeyError.MalformedClientData, $"clientDataJSON holds a string that is not valid Unicode (an escaped lone surrogate): {e.Message}", e);
        }
        if (!hasType || !hasChallenge || !hasOrigin)
        {
            throw Malformed($"lacks required member(s):{(hasType ? "" : " type")}{(hasChallenge ? "" : " challenge")}{(hasOrigin ? "" : " origin")}");
        }
        return new ClientData(type, challenge, origin, crossOrigin, hasTopOrigin, topOrigin);
    }

    private static ReadOnlySpan<byte> ReadString(ReadOnlySpan<byte> input, scoped ref Utf8JsonReader reader, string name, scoped ref bool seen)
    {
        if (seen)
        {
            throw Malformed($"has {name} twice");
        }
        seen = true;
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Malformed($"{name} must be a string, not {reader.TokenType}");
        }
        if (!reader.ValueIsEscaped)
        {
            // The token starts at its opening quote; the value is the unescaped text after it.
            return input.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
        }
        // Rare: browsers don't escape these members, but JSON allows it. Unescape into a copy.
        var buffer = new byte[reader.ValueSpan.Length];
        int written = reader.CopyString(buffer);
        return buffer.AsSpan(0, written);
    }

    private static PasskeyException Malformed(string detail) => new(PasskeyError.MalformedClientData, $"clientDataJSON {detail}");
}
