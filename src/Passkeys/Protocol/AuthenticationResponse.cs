using System.Buffers;
using System.Text.Json;
using Passkeys.Encoding;

namespace Passkeys.Protocol;

/// <summary>
/// A decoded AuthenticationResponseJSON (WebAuthn L3 §5.1, §5.2.2). Parsing is allocation-lean:
/// one pass of <see cref="Utf8JsonReader"/> finds the members, and every binary member is decoded
/// into a single buffer that the properties slice. This is the hot path of every sign-in.
/// </summary>
public sealed class AuthenticationResponse
{
    /// <summary>The largest response accepted, in bytes of UTF-8 JSON.</summary>
    public const int MaxJsonLength = 64 * 1024;

    private AuthenticationResponse() { }

    /// <summary>The credential id (rawId).</summary>
    public ReadOnlyMemory<byte> CredentialId { get; private set; }

    /// <summary>The raw clientDataJSON bytes.</summary>
    public ReadOnlyMemory<byte> ClientDataJson { get; private set; }

    /// <summary>The raw authenticatorData bytes.</summary>
    public ReadOnlyMemory<byte> AuthenticatorData { get; private set; }

    /// <summary>The signature.</summary>
    public ReadOnlyMemory<byte> Signature { get; private set; }

    /// <summary>The user handle, or null when the response has none.</summary>
    public ReadOnlyMemory<byte>? UserHandle { get; private set; }

    /// <summary>The clientExtensionResults object as UTF-8 JSON (empty when absent).</summary>
    public ReadOnlyMemory<byte> ClientExtensionResultsJson { get; private set; }

    /// <summary>"platform", "cross-platform" or null.</summary>
    public string? AuthenticatorAttachment { get; private set; }

    /// <summary>Parses AuthenticationResponseJSON.</summary>
    /// <exception cref="PasskeyException">MalformedResponse, WrongResponseType, CredentialIdMismatch, MalformedBase64Url, InputTooLarge.</exception>
    public static AuthenticationResponse Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxJsonLength)
        {
            throw new PasskeyException(PasskeyError.InputTooLarge, $"authentication response is {json.Length} characters; at most {MaxJsonLength} are accepted");
        }
        byte[] rented = ArrayPool<byte>.Shared.Rent(System.Text.Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            int length = System.Text.Encoding.UTF8.GetBytes(json, rented);
            return Parse(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Parses AuthenticationResponseJSON from UTF-8 bytes.</summary>
    public static AuthenticationResponse Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > MaxJsonLength)
        {
            throw new PasskeyException(PasskeyError.InputTooLarge, $"authentication response is {utf8Json.Length} bytes; at most {MaxJsonLength} are accepted");
        }
        var fields = new Fields();
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 32 });
            ReadTopLevel(ref reader, ref fields);
        }
        catch (JsonException e)
        {
            throw new PasskeyException(PasskeyError.MalformedResponse, $"authentication response is not well-formed JSON: {e.Message}", e);
        }
        return Build(utf8Json, ref fields);
    }

    private static AuthenticationResponse Build(ReadOnlySpan<byte> json, ref Fields f)
    {
        // REG-03 analog for assertions (AUTH-03): the shape of a public-key assertion.
        if (!f.Type.Present || !json.Slice(f.Type.Start, f.Type.Length).SequenceEqual("public-key"u8))
        {
            throw new PasskeyException(PasskeyError.WrongResponseType, "response type must be \"public-key\"");
        }
        Require(f.Id, "id");
        Require(f.RawId, "rawId");
        Require(f.ClientDataJson, "response.clientDataJSON");
        Require(f.AuthenticatorData, "response.authenticatorData");
        Require(f.Signature, "response.signature");
        var id = json.Slice(f.Id.Start, f.Id.Length);
        var rawIdText = json.Slice(f.RawId.Start, f.RawId.Length);
        if (!id.SequenceEqual(rawIdText))
        {
            throw new PasskeyException(PasskeyError.CredentialIdMismatch, "id and rawId differ; id must be the base64url of rawId");
        }

        int rawIdLength = Base64UrlUtf8.DecodedLength(f.RawId.Length);
        int cdLength = Base64UrlUtf8.DecodedLength(f.ClientDataJson.Length);
        int adLength = Base64UrlUtf8.DecodedLength(f.AuthenticatorData.Length);
        int sigLength = Base64UrlUtf8.DecodedLength(f.Signature.Length);
        int uhLength = f.UserHandle.Present ? Base64UrlUtf8.DecodedLength(f.UserHandle.Length) : 0;
        int extLength = f.Extensions.Present ? f.Extensions.Length : 0;
        var buffer = new byte[rawIdLength + cdLength + adLength + sigLength + uhLength + extLength];
        var memory = new ReadOnlyMemory<byte>(buffer);
        int offset = 0;
        var response = new AuthenticationResponse
        {
            CredentialId = DecodeInto(json, f.RawId, buffer, ref offset, "rawId"),
            ClientDataJson = DecodeInto(json, f.ClientDataJson, buffer, ref offset, "response.clientDataJSON"),
            AuthenticatorData = DecodeInto(json, f.AuthenticatorData, buffer, ref offset, "response.authenticatorData"),
            Signature = DecodeInto(json, f.Signature, buffer, ref offset, "response.signature"),
            AuthenticatorAttachment = f.Attachment,
        };
        if (f.UserHandle.Present)
        {
            response.UserHandle = DecodeInto(json, f.UserHandle, buffer, ref offset, "response.userHandle");
        }
        if (f.Extensions.Present)
        {
            json.Slice(f.Extensions.Start, f.Extensions.Length).CopyTo(buffer.AsSpan(offset));
            response.ClientExtensionResultsJson = memory.Slice(offset, extLength);
        }
        return response;
    }

    private static ReadOnlyMemory<byte> DecodeInto(ReadOnlySpan<byte> json, Range range, byte[] buffer, ref int offset, string field)
    {
        int length = Base64UrlUtf8.DecodedLength(range.Length);
        Base64UrlUtf8.Decode(json.Slice(range.Start, range.Length), buffer.AsSpan(offset, length), field);
        var slice = new ReadOnlyMemory<byte>(buffer, offset, length);
        offset += length;
        return slice;
    }

    private static void Require(Range range, string field)
    {
        if (!range.Present)
        {
            throw new PasskeyException(PasskeyError.MalformedResponse, $"authentication response lacks {field}");
        }
    }

    private static void ReadTopLevel(ref Utf8JsonReader reader, ref Fields f)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new PasskeyException(PasskeyError.MalformedResponse, "authentication response is not a JSON object");
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8)) { ReadString(ref reader, ref f.Id, "id"); }
            else if (reader.ValueTextEquals("rawId"u8)) { ReadString(ref reader, ref f.RawId, "rawId"); }
            else if (reader.ValueTextEquals("type"u8)) { ReadString(ref reader, ref f.Type, "type"); }
            else if (reader.ValueTextEquals("response"u8)) { ReadInner(ref reader, ref f); }
            else if (reader.ValueTextEquals("authenticatorAttachment"u8))
            {
                reader.Read();
                f.Attachment = reader.TokenType switch
                {
                    JsonTokenType.String => reader.ValueTextEquals("platform"u8) ? "platform"
                        : reader.ValueTextEquals("cross-platform"u8) ? "cross-platform" : null,
                    JsonTokenType.Null => null,
                    _ => throw new PasskeyException(PasskeyError.MalformedResponse, "authenticatorAttachment must be a string"),
                };
            }
            else if (reader.ValueTextEquals("clientExtensionResults"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new PasskeyException(PasskeyError.MalformedResponse, "clientExtensionResults must be an object");
                }
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                f.Extensions = new Range(start, (int)reader.BytesConsumed - start);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new PasskeyException(PasskeyError.MalformedResponse, "authentication response has content after its object");
        }
    }

    private static void ReadInner(ref Utf8JsonReader reader, ref Fields f)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new PasskeyException(PasskeyError.MalformedResponse, "response must be an object");
        }
        if (f.SeenResponse)
        {
            throw new PasskeyException(PasskeyError.MalformedResponse, "response appears twice");
        }
        f.SeenResponse = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("clientDataJSON"u8)) { ReadString(ref reader, ref f.ClientDataJson, "response.clientDataJSON"); }
            else if (reader.ValueTextEquals("authenticatorData"u8)) { ReadString(ref reader, ref f.AuthenticatorData, "response.authenticatorData"); }
            else if (reader.ValueTextEquals("signature"u8)) { ReadString(ref reader, ref f.Signature, "response.signature"); }
            else if (reader.ValueTextEquals("userHandle"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }
                StoreString(ref reader, ref f.UserHandle, "response.userHandle");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadString(ref Utf8JsonReader reader, ref Range range, string field)
    {
        reader.Read();
        StoreString(ref reader, ref range, field);
    }

    private static void StoreString(ref Utf8JsonReader reader, ref Range range, string field)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new PasskeyException(PasskeyError.MalformedResponse, $"{field} must be a string, not {reader.TokenType}");
        }
        if (range.Present)
        {
            throw new PasskeyException(PasskeyError.MalformedResponse, $"{field} appears twice");
        }
        if (reader.ValueIsEscaped)
        {
            // No base64url or type value needs escaping; an escaped one is not what a browser sends.
            throw new PasskeyException(PasskeyError.MalformedBase64Url, $"{field} contains JSON escapes");
        }
        range = new Range((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
    }

    private record struct Range(int Start, int Length)
    {
        public readonly bool Present => Start > 0;
    }

    private struct Fields
    {
        public Range Id, RawId, Type, ClientDataJson, AuthenticatorData, Signature, UserHandle, Extensions;
        public string? Attachment;
        public bool SeenResponse;
    }
}
