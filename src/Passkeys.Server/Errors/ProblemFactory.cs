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
        ServerError.StepUpTokenNotAccepted => 403,
        ServerError.CredentialSuspended => 403,
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
