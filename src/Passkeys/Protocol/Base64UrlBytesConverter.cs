using System.Text.Json;
using System.Text.Json.Serialization;
using Passkeys.Encoding;

namespace Passkeys.Protocol;

/// <summary>Reads and writes byte arrays as strict unpadded base64url strings, as WebAuthn's JSON forms do.</summary>
public sealed class Base64UrlBytesConverter : JsonConverter<byte[]>
{
    /// <inheritdoc />
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected a base64url string, found {reader.TokenType}");
        }
        return Base64UrlStrict.Decode(reader.GetString(), "JSON value");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Base64UrlStrict.Encode(value));
}
