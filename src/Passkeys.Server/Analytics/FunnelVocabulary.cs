using Passkeys.Server.Storage;

namespace Passkeys.Server.Analytics;

/// <summary>The ceremony kinds of the funnel rows (docs/analytics.md).</summary>
public static class FunnelKinds
{
    /// <summary>A passkey registration (a sign-up or another passkey for a known user).</summary>
    public const string Registration = "registration";
    /// <summary>A sign-in (authentication).</summary>
    public const string SignIn = "sign-in";
    /// <summary>A step-up (transaction confirmation).</summary>
    public const string StepUp = "step-up";
    /// <summary>A registration begun with a recovery grant (a lost passkey replaced).</summary>
    public const string Recovery = "recovery";

    /// <summary>Every kind, as the analytics API accepts them.</summary>
    public static IReadOnlyList<string> All { get; } = [Registration, SignIn, StepUp, Recovery];
}

/// <summary>How the browser was asked: a modal prompt, or conditional mediation (autofill, conditional create).</summary>
public static class Mediations
{
    /// <summary>A modal prompt the user asked for (a button).</summary>
    public const string Modal = "modal";
    /// <summary>Conditional mediation: offered in autofill on page load; its own funnel, never a "start".</summary>
    public const string Conditional = "conditional";

    /// <summary>Both.</summary>
    public static IReadOnlyList<string> All { get; } = [Modal, Conditional];

    /// <summary>
    /// The funnel of a begin request's <c>mediation</c>, in WebAuthn's words (CredentialMediationRequirement):
    /// "conditional" is conditional; absent, "optional" and "required" are the modal prompt; anything else is refused.
    /// </summary>
    public static string Of(string? mediation) => mediation switch
    {
        null or "optional" or "required" => Modal,
        Conditional => Conditional,
        _ => throw new Errors.ServerException(Errors.ServerError.ValidationFailed, "mediation must be 'conditional', 'optional' or 'required'."),
    };
}

/// <summary>What the SDK reports the browser answered, mapped from the DOMException name (sdk/report.js).</summary>
public static class ClientOutcomes
{
    /// <summary>NotAllowedError before the ceremony's timeout: the user closed the prompt.</summary>
    public const string Cancelled = "cancelled";
    /// <summary>NotAllowedError at or after the ceremony's timeout.</summary>
    public const string TimedOut = "timed-out";
    /// <summary>NotAllowedError while the page had no focus: the browser refused to ask.</summary>
    public const string NotAllowed = "not-allowed";
    /// <summary>InvalidStateError: the authenticator already holds a passkey for this account (registration).</summary>
    public const string InvalidState = "invalid-state";
    /// <summary>SecurityError: the origin is not allowed for the rpId.</summary>
    public const string Security = "security";
    /// <summary>NotSupportedError: no authenticator supports what was asked.</summary>
    public const string NotSupported = "not-supported";
    /// <summary>Any other error.</summary>
    public const string Unknown = "unknown";

    /// <summary>Every outcome the report endpoint accepts.</summary>
    public static IReadOnlyList<string> All { get; } = [Cancelled, TimedOut, NotAllowed, InvalidState, Security, NotSupported, Unknown];
}

/// <summary>What the server knows of a ceremony.</summary>
public static class ServerOutcomes
{
    /// <summary>The finish verified and committed.</summary>
    public const string Succeeded = "succeeded";
    /// <summary>The finish was refused (with its error code).</summary>
    public const string Failed = "failed";
    /// <summary>Expired without an answer (marked by the purge).</summary>
    public const string Abandoned = "abandoned";
}

/// <summary>Builds a ceremony's funnel row at begin.</summary>
public static class FunnelRows
{
    /// <summary>How long before a registration begin an offer counts towards upgrade-prompt conversion.</summary>
    public static readonly TimeSpan OfferWindow = TimeSpan.FromDays(1);

    /// <summary>The row of a ceremony begun now.</summary>
    public static CeremonyOutcomeRecord Begun(string tenantId, string ceremonyId, string kind, string mediation, DateTimeOffset begunAt, DateTimeOffset expiresAt,
        string? userId, bool newUser, bool afterOffer, Observability.ClientInfo client) =>
        new(tenantId, ceremonyId, kind, mediation, begunAt, expiresAt, userId, newUser, afterOffer, client.Browser, client.Os, client.DeviceType);

    /// <summary>True when <paramref name="offeredAt"/> lies within <see cref="OfferWindow"/> before <paramref name="begunAt"/>.</summary>
    public static bool IsAfterOffer(DateTimeOffset? offeredAt, DateTimeOffset begunAt) =>
        offeredAt is { } at && at <= begunAt && begunAt - at <= OfferWindow;
}
