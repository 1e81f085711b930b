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

    private readonly Members _members;

    private AuthenticationResponse(in Members members) => _members = members;

    /// <summary>The credential id (rawId).</summary>
    public ReadOnlyMemory<byte> CredentialId => _members.CredentialId;

    /// <summary>The raw clientDataJSON bytes.</summary>
    public ReadOnlyMemory<byte> ClientDataJson => _members.ClientDataJson;

    /// <summary>The raw authenticatorData bytes.</summary>
    public ReadOnlyMemory<byte> AuthenticatorData => _members.AuthenticatorData;

    /// <summary>The signature.</summary>
    public ReadOnlyMemory<byte> Signature => _members.Signature;

    /// <summary>The user handle, or null when the response has none.</summary>
    public ReadOnlyMemory<byte>? UserHandle => _members.UserHandle;

    /// <summary>The clientExtensionResults object as UTF-8 JSON (empty when absent).</summary>
    public ReadOnlyMemory<byte> ClientExtensionResultsJson => _members.ClientExtensionResultsJson;

    /// <summary>"platform", "cross-platform" or null.</summary>
    public string? AuthenticatorAttachment => _members.AuthenticatorAttachment;

    /// <summary>The decoded members, for <see cref="Ceremonies.RelyingParty"/>.</summary>
    internal ref readonly Members Decoded => ref _members;

    /// <summary>
    /// The decoded members of a response: slices of one buffer, which either this object owns or
    /// (on the hot path, <see cref="ParsePooled"/>) the caller rented for the length of one call.
    /// </summary>
    internal readonly struct Members
    {
        public ReadOnlyMemory<byte> CredentialId { get; init; }
        public ReadOnlyMemory<byte> ClientDataJson { get; init; }
        public ReadOnlyMemory<byte> AuthenticatorData { get; init; }
        public ReadOnlyMemory<byte> Signature { get; init; }
        public ReadOnlyMemory<byte>? UserHandle { get; init; }
        public ReadOnlyMemory<byte> ClientExtensionResultsJson { get; init; }
        public string? AuthenticatorAttachment { get; init; }
    }

    /// <summary>Parses AuthenticationResponseJSON.</summary>
    /// <exception cref="PasskeyException">MalformedResponse, WrongResponseType, CredentialIdMismatch, MalformedBase64Url, InputTooLarge.</exception>
    public static AuthenticationResponse Parse(string json)
    {
        CheckLength(json);
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
        // The reader does not validate UTF-8 inside strings it never unescapes (ignored members):
        // refuse such bytes outright. (Parse(string) gets valid UTF-8 from the encoder.)
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            throw new PasskeyException(PasskeyError.MalformedResponse, "authentication response is not valid UTF-8");
        }
        var fields = ReadFields(utf8Json);
        var buffer = new byte[fields.DecodedLength];
        return new AuthenticationResponse(Decode(utf8Json, ref fields, buffer));
    }

    /// <summary>
    /// <see cref="Parse(string)"/> for the one call that verifies the response: the same checks in the
    /// same order, but the decoded bytes go to <paramref name="rented"/>, a buffer from
    /// <see cref="ArrayPool{T}.Shared"/> that the caller returns once nothing refers to the members.
    /// Saves the response object and its buffer (about 430 bytes per sign-in).
    /// </summary>
    internal static Members ParsePooled(string json, out byte[] rented)
    {
        CheckLength(json);
        byte[] utf8 = ArrayPool<byte>.Shared.Rent(System.Text.Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var span = utf8.AsSpan(0, System.Text.Encoding.UTF8.GetBytes(json, utf8));
            var fields = ReadFields(span);
            rented = ArrayPool<byte>.Shared.Rent(fields.DecodedLength);
            try
            {
                return Decode(span, ref fields, rented);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(rented);
                throw;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    private static void CheckLength(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxJsonLength)
        {
            throw new PasskeyException(PasskeyError.InputTooLarge, $"authentication response is {json.Length} characters; at most {MaxJsonLength} are accepted");
        }
    }

    /// <summary>Finds the members and checks the response's shape (everything but base64url).</summary>
    private static Fields ReadFields(ReadOnlySpan<byte> utf8Json)
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
        catch (InvalidOperationException e)
        {
            // ValueTextEquals unescapes a member name or value to compare it: an escaped lone
            // surrogate ("\ud800") cannot be unescaped and throws this rather than JsonException.
            throw new PasskeyException(PasskeyError.MalformedResponse, $"authentication response holds a string that is not valid Unicode (an escaped lone surrogate): {e.Message}", e);
        }
        Validate(utf8Json, ref fields);
        return fields;
    }

    private static void Validate(ReadOnlySpan<byte> json, ref Fields f)
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
    }

    /// <summary>Decodes every binary member into <paramref name="buffer"/> (at least <see cref="Fields.DecodedLength"/> long).</summary>
    private static Members Decode(ReadOnlySpan<byte> json, ref Fields f, byte[] buffer)
    {
        int offset = 0;
        var credentialId = DecodeInto(json, f.RawId, buffer, ref offset, "rawId");
        var clientDataJson = DecodeInto(json, f.ClientDataJson, buffer, ref offset, "response.clientDataJSON");
        var authenticatorData = DecodeInto(json, f.AuthenticatorData, buffer, ref offset, "response.authenticatorData");
        var signature = DecodeInto(json, f.Signature, buffer, ref offset, "response.signature");
        ReadOnlyMemory<byte>? userHandle = null;
        if (f.UserHandle.Present)
        {
            userHandle = DecodeInto(json, f.UserHandle, buffer, ref offset, "response.userHandle");
        }
        ReadOnlyMemory<byte> extensions = default;
        if (f.Extensions.Present)
        {
            json.Slice(f.Extensions.Start, f.Extensions.Length).CopyTo(buffer.AsSpan(offset));
            extensions = new ReadOnlyMemory<byte>(buffer, offset, f.Extensions.Length);
        }
        return new Members
        {
            CredentialId = credentialId,
            ClientDataJson = clientDataJson,
            AuthenticatorData = authenticatorData,
            Signature = signature,
            UserHandle = userHandle,
            ClientExtensionResultsJson = extensions,
            AuthenticatorAttachment = f.Attachment,
        };
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
                JsonReaderChecks.RequireUnicode(ref reader);
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
                JsonReaderChecks.SkipMember(ref reader);
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
                JsonReaderChecks.SkipMember(ref reader);
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

        /// <summary>The bytes all binary members take once decoded (the extensions JSON is copied as is).</summary>
        public readonly int DecodedLength =>
            Base64UrlUtf8.DecodedLength(RawId.Length) + Base64UrlUtf8.DecodedLength(ClientDataJson.Length)
            + Base64UrlUtf8.DecodedLength(AuthenticatorData.Length) + Base64UrlUtf8.DecodedLength(Signature.Length)
            + (UserHandle.Present ? Base64UrlUtf8.DecodedLength(UserHandle.Length) : 0)
            + (Extensions.Present ? Extensions.Length : 0);
    }
}
