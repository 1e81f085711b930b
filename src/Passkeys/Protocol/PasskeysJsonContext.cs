using System.Text.Json.Serialization;

namespace Passkeys.Protocol;

/// <summary>Source-generated System.Text.Json metadata for the WebAuthn JSON types: no reflection at run time.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(CredentialCreationOptionsJson))]
[JsonSerializable(typeof(CredentialRequestOptionsJson))]
[JsonSerializable(typeof(RegistrationResponseJson))]
[JsonSerializable(typeof(AuthenticationResponseJson))]
public sealed partial class PasskeysJsonContext : JsonSerializerContext;
