using System.Text.Json;
using Passkeys.Encoding;

namespace Passkeys.Protocol;

/// <summary>A decoded RegistrationResponseJSON (WebAuthn L3 §5.1, §5.2.1).</summary>
public sealed class RegistrationResponse
{
    /// <summary>The largest response accepted, in characters of JSON (attestation chains can be several KB).</summary>
    public const int MaxJsonLength = 256 * 1024;

    private RegistrationResponse(byte[] credentialId, byte[] clientDataJson, byte[] attestationObject,
        IReadOnlyList<string> transports, string? attachment, IReadOnlyDictionary<string, JsonElement> extensions)
    {
        CredentialId = credentialId;
        ClientDataJson = clientDataJson;
        AttestationObject = attestationObject;
        Transports = transports;
        AuthenticatorAttachment = attachment;
        ClientExtensionResults = extensions;
    }

    /// <summary>The credential id (rawId).</summary>
    public byte[] CredentialId { get; }

    /// <summary>The raw clientDataJSON bytes.</summary>
    public byte[] ClientDataJson { get; }

    /// <summary>The raw attestationObject bytes.</summary>
    public byte[] AttestationObject { get; }

    /// <summary>Transports the client reported.</summary>
    public IReadOnlyList<string> Transports { get; }

    /// <summary>"platform", "cross-platform" or null.</summary>
    public string? AuthenticatorAttachment { get; }

    /// <summary>Client extension outputs.</summary>
    public IReadOnlyDictionary<string, JsonElement> ClientExtensionResults { get; }

    /// <summary>Parses RegistrationResponseJSON.</summary>
    /// <exception cref="PasskeyException">MalformedResponse, WrongResponseType, CredentialIdMismatch, MalformedBase64Url, InputTooLarge.</exception>
    public static RegistrationResponse Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxJsonLength)
        {
            throw new PasskeyException(PasskeyError.InputTooLarge, $"registration response is {json.Length} characters; at most {MaxJsonLength} are accepted");
        }
        RegistrationResponseJson? dto;
        try
        {
            dto = JsonSerializer.Deserialize(json, PasskeysJsonContext.Default.RegistrationResponseJson);
        }
        catch (JsonException e)
        {
            throw new PasskeyException(PasskeyError.MalformedResponse, $"registration response is not valid JSON of the RegistrationResponseJSON shape: {e.Message}", e);
        }
        return FromJson(dto ?? throw new PasskeyException(PasskeyError.MalformedResponse, "registration response is null"));
    }

    /// <summary>Decodes an already deserialized RegistrationResponseJSON.</summary>
    public static RegistrationResponse FromJson(RegistrationResponseJson dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        // REG-03: the result must be a public-key credential with an attestation response.
        if (!string.Equals(dto.Type, "public-key", StringComparison.Ordinal))
        {
            throw new PasskeyException(PasskeyError.WrongResponseType, $"response type must be \"public-key\", not \"{dto.Type}\" (REG-03)");
        }
        var inner = dto.Response ?? throw Missing("response");
        if (inner.AttestationObject is null)
        {
            throw new PasskeyException(PasskeyError.WrongResponseType, "response has no attestationObject: this is not a registration response (REG-03)");
        }
        string id = dto.Id ?? throw Missing("id");
        string rawId = dto.RawId ?? throw Missing("rawId");
        if (!string.Equals(id, rawId, StringComparison.Ordinal))
        {
            throw new PasskeyException(PasskeyError.CredentialIdMismatch, "id and rawId differ; id must be the base64url of rawId");
        }
        var extensions = dto.ClientExtensionResults ?? [];
        foreach (var (name, value) in extensions)
        {
            // The serializer refuses lone surrogates in names it reads as strings, but extension
            // values stay JsonElements, unescaped only when read: check them here, once.
            if (!JsonUnicode.IsValid(value))
            {
                throw new PasskeyException(PasskeyError.MalformedResponse, $"clientExtensionResults.{name} holds a string that is not valid Unicode (an escaped lone surrogate)");
            }
        }
        return new RegistrationResponse(
            Base64UrlStrict.Decode(rawId, "rawId"),
            Base64UrlStrict.Decode(inner.ClientDataJson ?? throw Missing("response.clientDataJSON"), "response.clientDataJSON"),
            Base64UrlStrict.Decode(inner.AttestationObject, "response.attestationObject"),
            inner.Transports is { } transports ? [.. transports] : [],
            dto.AuthenticatorAttachment,
            extensions);
    }

    private static PasskeyException Missing(string member) =>
        new(PasskeyError.MalformedResponse, $"registration response lacks {member}");
}
