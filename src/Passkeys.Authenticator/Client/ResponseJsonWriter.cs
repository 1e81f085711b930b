
using System.Text.Json;
using Passkeys.Encoding;

namespace Passkeys.Authenticator.Client;

/// <summary>
/// Writes RegistrationResponseJSON and AuthenticationResponseJSON as a browser's toJSON() does.
/// WebIDL orders a dictionary's members lexicographically, so that is the order here too.
/// </summary>
internal static class ResponseJsonWriter
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Registration(
        string attachment, bool? credPropsRk, byte[] credentialId, byte[] attestationObject, byte[] authenticatorData,
        byte[] clientDataJson, byte[]? publicKey, int algorithm, IReadOnlyList<string> transports, bool? appIdExclude = null) =>
        Write(w =>
        {
            w.WriteString("authenticatorAttachment", attachment);
            WriteExtensions(w, credPropsRk, appIdExclude: appIdExclude);
            w.WriteString("id", Base64UrlStrict.Encode(credentialId));
            w.WriteString("rawId", Base64UrlStrict.Encode(credentialId));
            w.WriteStartObject("response");
            w.WriteString("attestationObject", Base64UrlStrict.Encode(attestationObject));
            w.WriteString("authenticatorData", Base64UrlStrict.Encode(authenticatorData));
            w.WriteString("clientDataJSON", Base64UrlStrict.Encode(clientDataJson));
            if (publicKey is not null)
            {
                w.WriteString("publicKey", Base64UrlStrict.Encode(publicKey));
            }
            w.WriteNumber("publicKeyAlgorithm", algorithm);
            w.WriteStartArray("transports");
            foreach (var t in transports.Order(StringComparer.Ordinal))
            {
                w.WriteStringValue(t);
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("type", "public-key");
        });

    public static string Authentication(
        string attachment, byte[] credentialId, byte[] authenticatorData, byte[] clientDataJson, byte[] signature, byte[]? userHandle,
        bool? appId = null) =>
        Write(w =>
        {
            w.WriteString("authenticatorAttachment", attachment);
            WriteExtensions(w, null, appId);
            w.WriteString("id", Base64UrlStrict.Encode(credentialId));
            w.WriteString("rawId", Base64UrlStrict.Encode(credentialId));
            w.WriteStartObject("response");
            w.WriteString("authenticatorData", Base64UrlStrict.Encode(authenticatorData));
            w.WriteString("clientDataJSON", Base64UrlStrict.Encode(clientDataJson));
            w.WriteString("signature", Base64UrlStrict.Encode(signature));
            if (userHandle is not null)
            {
                w.WriteString("userHandle", Base64UrlStrict.Encode(userHandle));
            }
            w.WriteEndObject();
            w.WriteString("type", "public-key");
        });

    private static void WriteExtensions(Utf8JsonWriter w, bool? credPropsRk, bool? appId = null, bool? appIdExclude = null)
    {
        w.WriteStartObject("clientExtensionResults");
        if (appId is bool used)
        {
            w.WriteBoolean("appid", used);
        }
        if (appIdExclude is bool acted)
        {
            w.WriteBoolean("appidExclude", acted);
        }
        if (credPropsRk is bool rk)
        {
            w.WriteStartObject("credProps");
            w.WriteBoolean("rk", rk);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, s_options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
