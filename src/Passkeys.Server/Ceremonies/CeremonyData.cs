using System.Text.Json;
using System.Text.Json.Serialization;

namespace Passkeys.Server.Ceremonies;

/// <summary>Server-side extras kept with a pending ceremony (the <c>data</c> column).</summary>
public sealed record CeremonyData
{
    /// <summary>For registration of a user who does not exist yet: the user to create at finish.</summary>
    public PendingUser? NewUser { get; init; }
    /// <summary>
    /// For registration after a recovery-code redeem: the id of the grant's ceremony (the grant's
    /// hash, never the grant), spent only when the registration finishes, so a cancelled browser
    /// prompt does not cost the user a recovery code.
    /// </summary>
    public string? RecoveryGrant { get; init; }
    /// <summary>
    /// Registration begun with a user token: the user is already signed in (adding another
    /// passkey), so finishing starts no new session.
    /// </summary>
    public bool SignedIn { get; init; }
    /// <summary>
    /// Registration begun with an app's API key: the key's id (never the key), the actor of the
    /// <c>user.created</c> and <c>credential.added</c> events at finish.
    /// </summary>
    public string? ApiKeyId { get; init; }
    /// <summary>For step-up: base64url SHA-256 of the transaction text.</summary>
    public string? TransactionHash { get; init; }

    /// <summary>Serializes.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, CeremonyDataJson.Default.CeremonyData);

    /// <summary>Deserializes (empty when null).</summary>
    public static CeremonyData FromJson(string? json) =>
        json is null ? new CeremonyData() : JsonSerializer.Deserialize(json, CeremonyDataJson.Default.CeremonyData) ?? new CeremonyData();
}

/// <summary>A user to be created when registration finishes.</summary>
public sealed record PendingUser(string Id, string Name, string DisplayName, string Handle);

[JsonSerializable(typeof(CeremonyData))]
internal sealed partial class CeremonyDataJson : JsonSerializerContext;
