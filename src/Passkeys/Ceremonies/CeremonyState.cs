using System.Text.Json;
using System.Text.Json.Serialization;
using Passkeys.Protocol;

namespace Passkeys.Ceremonies;

/// <summary>
/// Server-side state of a registration ceremony (REG-01): everything FinishRegistration checks the
/// response against. The caller keeps it server-side (it is never sent to the browser) and passes it
/// back. <see cref="Serialize"/> gives a compact form for a store shared by several server nodes.
/// </summary>
/// <remarks>
/// The UV requirement, the conditional-create flag and the challenge live here, not in anything the
/// client sends, so they survive serialization intact (the class of bug in Spring Security
/// CVE-2026-47841, where UV "required" was lost across a distributed session store).
/// </remarks>
public sealed record RegistrationState
{
    /// <summary>Format version of the serialized state.</summary>
    [JsonPropertyName("v")] public int Version { get; init; } = 1;
    /// <summary>The challenge issued.</summary>
    [JsonPropertyName("challenge"), JsonConverter(typeof(Base64UrlBytesConverter))] public required byte[] Challenge { get; init; }
    /// <summary>The RP ID the options named.</summary>
    [JsonPropertyName("rpId")] public required string RpId { get; init; }
    /// <summary>The user the credential is for.</summary>
    [JsonPropertyName("userId"), JsonConverter(typeof(Base64UrlBytesConverter))] public required byte[] UserId { get; init; }
    /// <summary>The account name.</summary>
    [JsonPropertyName("userName")] public required string UserName { get; init; }
    /// <summary>The display name.</summary>
    [JsonPropertyName("displayName")] public required string DisplayName { get; init; }
    /// <summary>The UV requirement sent.</summary>
    [JsonPropertyName("uv")] public UserVerificationRequirement UserVerification { get; init; }
    /// <summary>The COSE algorithms offered (REG-20).</summary>
    [JsonPropertyName("algs")] public required IReadOnlyList<int> Algorithms { get; init; }
    /// <summary>Whether the ceremony was a conditional create (REG-15 exception).</summary>
    [JsonPropertyName("conditional")] public bool ConditionalCreate { get; init; }
    /// <summary>Extensions requested (REG-28).</summary>
    [JsonPropertyName("ext")] public RegistrationExtensions Extensions { get; init; } = new();
    /// <summary>When the ceremony expires.</summary>
    [JsonPropertyName("expires")] public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Serializes the state as UTF-8 JSON.</summary>
    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, CeremonyStateJsonContext.Default.RegistrationState);

    /// <summary>Reads serialized state.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.MalformedOptions"/>.</exception>
    public static RegistrationState Deserialize(ReadOnlySpan<byte> data) =>
        CeremonyStateJson.Read(data, CeremonyStateJsonContext.Default.RegistrationState);
}

/// <summary>Server-side state of an authentication ceremony (AUTH-01). See <see cref="RegistrationState"/>.</summary>
public sealed record AuthenticationState
{
    /// <summary>Format version of the serialized state.</summary>
    [JsonPropertyName("v")] public int Version { get; init; } = 1;
    /// <summary>The challenge issued.</summary>
    [JsonPropertyName("challenge"), JsonConverter(typeof(Base64UrlBytesConverter))] public required byte[] Challenge { get; init; }
    /// <summary>The RP ID the options named.</summary>
    [JsonPropertyName("rpId")] public required string RpId { get; init; }
    /// <summary>The identified user's handle, or null for discoverable sign-in (AUTH-06).</summary>
    [JsonPropertyName("user"), JsonConverter(typeof(Base64UrlBytesConverter))] public byte[]? UserHandle { get; init; }
    /// <summary>allowCredentials ids (AUTH-05).</summary>
    [JsonPropertyName("allow")] public IReadOnlyList<string> AllowCredentials { get; init; } = [];
    /// <summary>The UV requirement sent (AUTH-17).</summary>
    [JsonPropertyName("uv")] public UserVerificationRequirement UserVerification { get; init; }
    /// <summary>SHA-256 of the transaction payload bound into the challenge, for step-up.</summary>
    [JsonPropertyName("txn"), JsonConverter(typeof(Base64UrlBytesConverter))] public byte[]? TransactionHash { get; init; }
    /// <summary>The appid extension input, when requested.</summary>
    [JsonPropertyName("appid")] public string? AppId { get; init; }
    /// <summary>When the ceremony expires.</summary>
    [JsonPropertyName("expires")] public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Serializes the state as UTF-8 JSON.</summary>
    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, CeremonyStateJsonContext.Default.AuthenticationState);

    /// <summary>Reads serialized state.</summary>
    /// <exception cref="PasskeyException"><see cref="PasskeyError.MalformedOptions"/>.</exception>
    public static AuthenticationState Deserialize(ReadOnlySpan<byte> data) =>
        CeremonyStateJson.Read(data, CeremonyStateJsonContext.Default.AuthenticationState);
}

[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(RegistrationState))]
[JsonSerializable(typeof(AuthenticationState))]
internal sealed partial class CeremonyStateJsonContext : JsonSerializerContext;

internal static class CeremonyStateJson
{
    public static T Read<T>(ReadOnlySpan<byte> data, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
    {
        try
        {
            return JsonSerializer.Deserialize(data, info) ?? throw new PasskeyException(PasskeyError.MalformedOptions, "ceremony state is null");
        }
        catch (JsonException e)
        {
            throw new PasskeyException(PasskeyError.MalformedOptions, $"ceremony state cannot be read: {e.Message}", e);
        }
    }
}
