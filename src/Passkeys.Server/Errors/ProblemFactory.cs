using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Passkeys.Server.Errors;

/// <summary>
/// Builds the RFC 9457 problem details every error response uses: <c>code</c> and <c>error</c>
/// (stable), <c>detail</c> (plain language for the end user), <c>traceId</c>.
/// </summary>
public static class ProblemFactory
{
    /// <summary>The HTTP status for a server error.</summary>
    public static int StatusOf(ServerError error) => error switch
    {
        ServerError.MalformedRequest or ServerError.ValidationFailed or ServerError.CeremonyNotFound or ServerError.RecoveryCodeInvalid
            or ServerError.UsernameNotAllowed or ServerError.UsernameMixesScripts => 400,
        ServerError.RpIdIsPublicSuffix or ServerError.OriginOutsideRpId or ServerError.AlgorithmsInvalid => 400,
        ServerError.ConditionalCreateNeedsSignedInUser => 400,
        ServerError.AppOriginInvalid or ServerError.AndroidAppInvalid or ServerError.IosAppIdInvalid => 400,
        ServerError.ImportFormatUnknown or ServerError.ImportFieldInvalid => 400,
        ServerError.ImportConflict => 409,
        ServerError.StepUpTokenNotAccepted => 403,
        ServerError.CredentialSuspended => 403,
        ServerError.AttestationPolicyInvalid or ServerError.AttestationRootUnreadable or ServerError.AttestationRootNotCa or ServerError.AttestationRootExpired => 400,
        ServerError.AttestationMissing or ServerError.AttestationUnverified or ServerError.AttestationUntrusted or ServerError.AaguidDenied
            or ServerError.AaguidNotAllowed or ServerError.AuthenticatorRevoked => 403,
        ServerError.WebhookUrlInvalid or ServerError.WebhookTargetNotAllowed or ServerError.WebhookHostUnresolvable or ServerError.WebhookEventTypesInvalid
            or ServerError.WebhookDescriptionInvalid or ServerError.WebhookSecretOverlapInvalid => 400,
        ServerError.WebhookNotFound or ServerError.WebhookDeliveryNotFound => 404,
        ServerError.WebhookDeliveryInFlight or ServerError.WebhookLimitReached => 409,
        ServerError.ConsoleCsrfRejected or ServerError.AdminKeyRequired => 403,
        ServerError.OperatorSessionExpired => 401,
        ServerError.OperatorInvitationInvalid => 400,
        ServerError.OperatorsAlreadyBootstrapped => 409,
        ServerError.OperatorNotFound => 404,
        ServerError.ConsoleOriginUnusable => 503,
        ServerError.OperatorInvitationCancelled => 410,
        ServerError.OperatorInvitationNotFound => 404,
        ServerError.OperatorInvitationAlreadyCancelled => 409,
        ServerError.OidcClientIdInvalid or ServerError.OidcClientTypeInvalid or ServerError.OidcRedirectUriInvalid
            or ServerError.OidcPostLogoutRedirectUriInvalid or ServerError.PasskeyEndpointsInvalid => 400,
        ServerError.OidcClientNotFound => 404,
        ServerError.OidcClientExists or ServerError.OidcClientHasNoSecret => 409,
        ServerError.OidcSignInRequired => 401,
        >= ServerError.OidcUnknownClient and <= ServerError.OidcClientMismatch => 400,
        ServerError.ClientEventInvalid or ServerError.AnalyticsRangeInvalid or ServerError.RolloutInvalid or ServerError.SignInReportInvalid => 400,
        ServerError.ClientEventCeremonyUnknown => 404,
        ServerError.ClientEventAlreadyReported => 409,
        ServerError.ClientEventTooLate => 410,
        ServerError.Unauthorized or ServerError.TokenExpired or ServerError.SessionExpired or ServerError.SessionRevoked
            or ServerError.RefreshTokenReused or ServerError.RefreshTokenInvalid => 401,
        ServerError.Forbidden => 403,
        ServerError.NotFound or ServerError.TenantNotFound or ServerError.UserNotFound or ServerError.CredentialNotFound or ServerError.SessionNotFound => 404,
        ServerError.MethodNotAllowed => 405,
        ServerError.UsernameTaken or ServerError.Conflict => 409,
        ServerError.PayloadTooLarge => 413,
        ServerError.UnsupportedMediaType => 415,
        ServerError.RateLimited or ServerError.RecoveryAttemptsExceeded or ServerError.RecoveryCodesTooFrequent => 429,
        ServerError.StoreUnavailable or ServerError.SigningKeyUnreadable => 503,
        _ => 500,
    };

    /// <summary>The HTTP status for a library error.</summary>
    public static int StatusOf(PasskeyError error) => error switch
    {
        PasskeyError.CredentialAlreadyRegistered => 409,
        PasskeyError.InvalidConfiguration => 500,
        _ => 400,
    };

    /// <summary>What a user whose passkey was suspended is told (also by the SDK, js/messages.js and sdk/passkeys.js).</summary>
    public const string SuspendedMessage =
        "For your safety this passkey was turned off because a copy of it may exist. Sign in with another passkey or a recovery code.";

    /// <summary>What a person is told when the site's attestation policy refuses their authenticator (1114–1118).</summary>
    public const string NotAcceptedMessage =
        "This site accepts passkeys only from approved security keys or devices, and this one is not among them. Use an approved security key, or ask the site which ones it accepts.";

    /// <summary>What a person is told when their authenticator model was revoked (1119).</summary>
    public const string RevokedMessage =
        "This kind of security key is no longer trusted because a security problem was reported for it. Use another security key or device.";

    /// <summary>The default plain-language message for a server error.</summary>
    public static string DefaultMessage(ServerError error) => error switch
    {
        ServerError.MalformedRequest => "The request could not be read. It must be JSON of the documented shape.",
        ServerError.ValidationFailed => "A value in the request is not allowed.",
        ServerError.PayloadTooLarge => "The request is too large.",
        ServerError.UnsupportedMediaType => "The request must be sent as application/json.",
        ServerError.NotFound => "There is nothing at this address.",
        ServerError.MethodNotAllowed => "This address does not accept that method.",
        ServerError.Unauthorized => "You need to sign in again.",
        ServerError.Forbidden => "This is not allowed.",
        ServerError.TenantNotFound => "This site is not set up for passkeys.",
        ServerError.CeremonyNotFound => "This request has expired or was already used. Please start again.",
        ServerError.UserNotFound => "We could not find that account.",
        ServerError.CredentialNotFound => "We could not find that passkey.",
        ServerError.UsernameTaken => "That name is already registered. Sign in instead, or choose another name.",
        ServerError.RecoveryCodeInvalid => "That recovery code is not valid. Check it and try again.",
        ServerError.RateLimited => "Too many attempts. Please wait a moment and try again.",
        ServerError.Conflict => "That already exists.",
        ServerError.StoreUnavailable => "The service is temporarily unavailable. Please try again shortly.",
        ServerError.TokenExpired => "Your sign-in needs refreshing. Please try again.",
        ServerError.SessionExpired => "Your session has ended. Please sign in again.",
        ServerError.SessionRevoked => "You have been signed out. Please sign in again.",
        ServerError.RefreshTokenReused => "For your security you have been signed out, because this session was used from somewhere else. Please sign in again.",
        ServerError.RefreshTokenInvalid => "Your session is not valid. Please sign in again.",
        ServerError.SessionNotFound => "We could not find that session. It may already have ended.",
        ServerError.UsernameNotAllowed => "That username is not allowed. " + Security.Usernames.UsernameRules.Rule,
        ServerError.UsernameMixesScripts => "That username mixes letters from different scripts, which makes it look like another name. " + Security.Usernames.UsernameRules.Rule,
        ServerError.RecoveryAttemptsExceeded => "Too many recovery code attempts for this account. Wait until the time shown, then try again.",
        ServerError.RecoveryCodesTooFrequent => "New recovery codes were made too often. Wait a while before making new ones.",
        ServerError.StepUpTokenNotAccepted => "This token only confirms one transaction. Use your sign-in (access) token here.",
        ServerError.RpIdIsPublicSuffix => "The relying party id must be your own domain, not a public suffix.",
        ServerError.OriginOutsideRpId => "Every web origin must be on the relying party id or a subdomain of it.",
        ServerError.AlgorithmsInvalid => "The algorithm list must name each supported algorithm at most once, and at least one.",
        ServerError.SigningKeyUnreadable => "The service cannot sign you in right now because of a configuration problem. Please try again later.",
        ServerError.CredentialSuspended => SuspendedMessage,
        ServerError.AttestationPolicyInvalid => "The attestation policy is not usable.",
        ServerError.AttestationRootUnreadable => "A trusted root is not a certificate. Send PEM or base64 DER.",
        ServerError.AttestationRootNotCa => "A trusted root must be a CA certificate.",
        ServerError.AttestationRootExpired => "A trusted root is not valid now.",
        // The registration refusals: what the person registering is told (also by the SDK and js/messages.js).
        ServerError.AttestationMissing => NotAcceptedMessage,
        ServerError.AttestationUnverified => NotAcceptedMessage,
        ServerError.AttestationUntrusted => NotAcceptedMessage,
        ServerError.AaguidDenied => NotAcceptedMessage,
        ServerError.AaguidNotAllowed => NotAcceptedMessage,
        ServerError.AuthenticatorRevoked => RevokedMessage,
        ServerError.ConditionalCreateNeedsSignedInUser => "A passkey can be added without a prompt only to an account that is signed in. Create this passkey with the usual prompt.",
        ServerError.WebhookUrlInvalid => "The webhook URL must be an absolute https URL (http only for localhost), without credentials or a fragment.",
        ServerError.WebhookTargetNotAllowed => "The webhook URL points to a private or local network address, which is not allowed.",
        ServerError.WebhookHostUnresolvable => "The webhook URL's host name could not be found.",
        ServerError.WebhookEventTypesInvalid => "eventTypes must list audit event types, \"family.*\" or \"*\", each once, and at least one.",
        ServerError.WebhookDescriptionInvalid => "The description must be at most 256 characters without control characters.",
        ServerError.WebhookNotFound => "There is no such webhook endpoint.",
        ServerError.WebhookDeliveryNotFound => "There is no such delivery of this webhook endpoint.",
        ServerError.WebhookDeliveryInFlight => "This delivery is being sent right now. Try again when the attempt has ended.",
        ServerError.WebhookLimitReached => "This tenant has the most webhook endpoints allowed. Delete one first.",
        ServerError.WebhookSecretOverlapInvalid => "overlapSeconds must be a whole number from 0 to 604800 (7 days).",
        ServerError.ConsoleCsrfRejected => "This request did not come from the console page. Reload the console and try again.",
        ServerError.OperatorSessionExpired => "Your console session has ended. Sign in again with your passkey.",
        ServerError.OperatorInvitationInvalid => "This enrolment link is not valid: it was used already or has expired. Ask an operator for a new one.",
        ServerError.OperatorsAlreadyBootstrapped => "The console already has an operator. Ask an operator to invite you.",
        ServerError.OperatorNotFound => "We could not find that operator.",
        ServerError.AdminKeyRequired => "Only the admin key can do this.",
        ServerError.ConsoleOriginUnusable => "The console cannot use passkeys at this address. Set Passkeys:PublicBaseUrl to a host name.",
        ServerError.OperatorInvitationCancelled => "This enrolment link was cancelled by an operator. Ask an operator for a new one.",
        ServerError.OperatorInvitationNotFound => "There is no pending invitation with this id: it was used, has expired or never existed.",
        ServerError.OperatorInvitationAlreadyCancelled => "This invitation was cancelled already.",
        >= ServerError.OidcClientNotFound and <= ServerError.OidcClientMismatch => Oidc.OidcMessages.Of(error),
        ServerError.OidcClientHasNoSecret => "This client is public: it has no secret to rotate (it proves itself with PKCE).",
        ServerError.AppOriginInvalid => "An app origin must be android:apk-key-hash: followed by the base64url SHA-256 of the app's signing certificate.",
        ServerError.AndroidAppInvalid => "Each Android app needs a valid package name and the SHA-256 fingerprints of its signing certificates.",
        ServerError.IosAppIdInvalid => "Each iOS app must be given as TEAMID.bundle.id.",
        ServerError.ImportFormatUnknown => "The file is not an export this server can read.",
        ServerError.ImportFieldInvalid => "A value in the file is not valid; nothing was imported.",
        ServerError.ImportConflict => "Something in the file exists already; nothing was imported.",
        ServerError.ClientEventCeremonyUnknown => "No such ceremony was begun here.",
        ServerError.ClientEventTooLate => "This ceremony ended too long ago to report on it.",
        ServerError.ClientEventAlreadyReported => "This was already reported for this ceremony.",
        ServerError.ClientEventInvalid => "The report is not one of the documented client events.",
        ServerError.AnalyticsRangeInvalid => "The time range or period of the analytics query is not valid.",
        ServerError.RolloutInvalid => "The rollout settings are not valid.",
        ServerError.SignInReportInvalid => "The sign-in report is not valid.",
        _ => "Something went wrong on our side. Please try again.",
    };

    /// <summary>A problem for a server error.</summary>
    public static ProblemDetails Create(HttpContext context, ServerError error, string? detail = null) =>
        Create(context, StatusOf(error), (int)error, error.ToString(), detail ?? DefaultMessage(error));

    /// <summary>A problem for a library error.</summary>
    public static ProblemDetails Create(HttpContext context, PasskeyException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Create(context, StatusOf(exception.Error), (int)exception.Error, exception.Error.ToString(), exception.UserMessage);
    }

    private static ProblemDetails Create(HttpContext context, int status, int code, string name, string detail)
    {
        var problem = new ProblemDetails
        {
            Type = "https://passkeys.invalid/errors/" + Kebab(name),
            Title = name,
            Status = status,
            Detail = detail,
        };
        problem.Extensions["code"] = code;
        problem.Extensions["error"] = name;
        problem.Extensions["traceId"] = Activity.Current?.Id ?? context?.TraceIdentifier;
        return problem;
    }

    /// <summary>Writes <paramref name="problem"/> as application/problem+json.</summary>
    public static Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(problem);
        context.Response.StatusCode = problem.Status ?? 500;
        return context.Response.WriteAsJsonAsync(problem, ProblemJson.Default.ProblemDetails, "application/problem+json");
    }

    private static string Kebab(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0)
            {
                sb.Append('-');
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}

/// <summary>Source-generated JSON for problem details.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(ProblemDetails))]
internal sealed partial class ProblemJson : System.Text.Json.Serialization.JsonSerializerContext;
