using System.Text.Json;
using System.Text.Json.Serialization;

namespace Passkeys.Server.Analytics;

/// <summary>
/// A tenant's passkey rollout (docs/analytics.md, "Rollout"): whom the app should offer passkey
/// creation to, how, and when passkeys become the default sign-in. Read by the app through
/// <c>GET /v1/tenants/{tenant}/users/{userId}/passkey-offer</c>.
/// </summary>
/// <param name="OfferPercentage">0–100: the share of users offered a passkey, stable per user (<see cref="RolloutBuckets"/>).</param>
/// <param name="OfferAfter">any | other-method-sign-in (only right after the app reported a sign-in with another method).</param>
/// <param name="Prompt">modal | conditional: how the app should offer it (a dialog, or conditional create).</param>
/// <param name="DefaultSignInAt">null, or 1–100: the percent adoption at which passkeys become the default sign-in.</param>
public sealed record RolloutSettings(int OfferPercentage = 0, string OfferAfter = RolloutSettings.AfterAny, string Prompt = RolloutSettings.PromptModal,
    int? DefaultSignInAt = null)
{
    /// <summary>Offer whenever the user has no passkey.</summary>
    public const string AfterAny = "any";
    /// <summary>Offer only after a sign-in with another method.</summary>
    public const string AfterOtherMethodSignIn = "other-method-sign-in";
    /// <summary>A modal prompt.</summary>
    public const string PromptModal = "modal";
    /// <summary>Conditional create (the browser offers to save a passkey after a password sign-in).</summary>
    public const string PromptConditional = "conditional";

    /// <summary>The stored form (the <c>tenants.rollout</c> JSON column).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, RolloutJson.Default.RolloutSettings);

    /// <summary>Reads the stored form; null for a NULL column.</summary>
    public static RolloutSettings? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize(json, RolloutJson.Default.RolloutSettings);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RolloutSettings))]
internal sealed partial class RolloutJson : JsonSerializerContext;
