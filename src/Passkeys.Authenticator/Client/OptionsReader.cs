using System.Text.Json;
using Passkeys.Encoding;

namespace Passkeys.Authenticator.Client;

/// <summary>
/// Reads PublicKeyCredentialCreationOptionsJSON / PublicKeyCredentialRequestOptionsJSON the way
/// parseCreationOptionsFromJSON / parseRequestOptionsFromJSON do: missing required members are a
/// TypeError, undecodable base64url an EncodingError. A {"publicKey": …} wrapper is accepted.
/// </summary>
internal static class OptionsReader
{
    public static JsonElement Root(JsonDocument document)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw TypeError("the options are not a JSON object");
        }
        return root.TryGetProperty("publicKey", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : root;
    }

    public static JsonDocument Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new WebAuthnClientException(WebAuthnClientException.TypeError, "the options are not JSON: " + e.Message, e);
        }
    }

    public static JsonElement? Member(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static JsonElement RequiredObject(JsonElement obj, string name) =>
        Member(obj, name) is { ValueKind: JsonValueKind.Object } v ? v : throw TypeError($"'{name}' is required and must be an object");

    public static string? String(JsonElement obj, string name) => Member(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        _ => throw TypeError($"'{name}' must be a string"),
    };

    public static bool Boolean(JsonElement obj, string name) => Member(obj, name) switch
    {
        null => false,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw TypeError($"'{name}' must be a boolean"),
    };

    public static byte[] RequiredBytes(JsonElement obj, string name) =>
        Bytes(String(obj, name) ?? throw TypeError($"'{name}' is required"), name);

    public static byte[] Bytes(string text, string name)
    {
        try
        {
            return Base64UrlStrict.Decode(text, name);
        }
        catch (PasskeyException e)
        {
            throw new WebAuthnClientException(WebAuthnClientException.EncodingError, $"'{name}' is not base64url", e);
        }
    }

    public static IEnumerable<JsonElement> Array(JsonElement obj, string name) => Member(obj, name) switch
    {
        null => [],
        { ValueKind: JsonValueKind.Array } v => v.EnumerateArray().ToList(),
        _ => throw TypeError($"'{name}' must be an array"),
    };

    /// <summary>A timeout in milliseconds: absent means the browser default of five minutes.</summary>
    public static TimeSpan Timeout(JsonElement obj) => Member(obj, "timeout") switch
    {
        null => TimeSpan.FromMinutes(5),
        { ValueKind: JsonValueKind.Number } v when v.TryGetUInt32(out uint ms) => TimeSpan.FromMilliseconds(ms),
        _ => throw TypeError("'timeout' must be an unsigned integer"),
    };

    /// <summary>Credential descriptors of type "public-key" (others are ignored, as browsers do).</summary>
    public static List<byte[]> Descriptors(JsonElement obj, string name)
    {
        var ids = new List<byte[]>();
        foreach (var descriptor in Array(obj, name))
        {
            if (String(descriptor, "type") == "public-key")
            {
                ids.Add(RequiredBytes(descriptor, "id"));
            }
        }
        return ids;
    }

    public static WebAuthnClientException TypeError(string message) => new(WebAuthnClientException.TypeError, message);
}
