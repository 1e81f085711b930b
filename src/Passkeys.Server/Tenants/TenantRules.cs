using System.Net;
using System.Text.RegularExpressions;
using Passkeys.Server.Errors;
using Passkeys.Server.Tenants.PublicSuffix;

namespace Passkeys.Server.Tenants;

/// <summary>One thing wrong with a tenant's settings: the error code the admin API answers with, and what to fix.</summary>
public sealed record TenantProblem(ServerError Code, string Message);

/// <summary>The rules a tenant's settings must follow, shared by configuration and the admin API.</summary>
public static partial class TenantRules
{
    /// <summary>User verification values.</summary>
    public static readonly string[] UserVerificationValues = ["required", "preferred", "discouraged"];
    /// <summary>Attestation conveyance values.</summary>
    public static readonly string[] AttestationValues = ["none", "indirect", "direct", "enterprise"];

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex TenantIdPattern();

    /// <summary>True when <paramref name="id"/> is a valid tenant id.</summary>
    public static bool IsValidId(string? id) => id is not null && TenantIdPattern().IsMatch(id);

    /// <summary>Returns a message per problem; empty when the settings are valid.</summary>
    public static IEnumerable<string> Check(string? id, string? rpId, string? rpName, IReadOnlyList<string>? origins,
        IReadOnlyList<string>? relatedOrigins, string? userVerification, string? attestation, IReadOnlyList<string>? algorithms = null)
    {
        var problems = Problems(id, rpId, rpName, origins, relatedOrigins, userVerification, attestation, algorithms);
        return problems.Select(p => p.Message);
    }

    /// <summary>
    /// Every problem with its code. Malformed values come first (<see cref="ServerError.ValidationFailed"/>);
    /// only settings that are well formed are then checked against each other: an rpId that is a
    /// public suffix, and web origins outside the rpId. An unusable <paramref name="algorithms"/> list
    /// (names or numbers; null for the library default) is <see cref="ServerError.AlgorithmsInvalid"/>.
    /// </summary>
    public static IReadOnlyList<TenantProblem> Problems(string? id, string? rpId, string? rpName, IReadOnlyList<string>? origins,
        IReadOnlyList<string>? relatedOrigins, string? userVerification, string? attestation, IReadOnlyList<string>? algorithms = null)
    {
        var malformed = Malformed(id, rpId, rpName, origins, relatedOrigins, userVerification, attestation)
            .Select(m => new TenantProblem(ServerError.ValidationFailed, m))
            .Concat(NativeApps.NativeAppRules.OriginProblems(origins))
            .Concat(TenantAlgorithms.Parse(algorithms).Problems).ToList();
        if (malformed.Count > 0)
        {
            return malformed;
        }
        return [.. RelyingPartyScope(rpId!, origins!)];
    }

    private static IEnumerable<string> Malformed(string? id, string? rpId, string? rpName, IReadOnlyList<string>? origins,
        IReadOnlyList<string>? relatedOrigins, string? userVerification, string? attestation)
    {
        if (!IsValidId(id))
        {
            yield return $"tenant id '{id}' must be 1–64 characters of a-z, 0-9 and '-', starting with a letter or digit.";
        }
        if (string.IsNullOrWhiteSpace(rpId) || rpId.Length > 253 || rpId.Contains(':', StringComparison.Ordinal) || rpId.Contains('/', StringComparison.Ordinal))
        {
            yield return $"rpId '{rpId}' must be a host name (a registrable domain suffix of the origins), without scheme or port.";
        }
        if (string.IsNullOrWhiteSpace(rpName) || rpName.Length > 128)
        {
            yield return "rpName must be 1–128 characters.";
        }
        if (origins is null || origins.Count == 0)
        {
            yield return "origins must list at least one origin, e.g. https://app.example.";
        }
        // App origins (android:apk-key-hash:…) may stand among the origins, checked for their shape by
        // NativeAppRules; related origins are other web sites only.
        foreach (var origin in (origins ?? []).Where(o => o is null || !NativeApps.NativeAppRules.IsAppOrigin(o)).Concat(relatedOrigins ?? []))
        {
            if (!IsOrigin(origin))
            {
                yield return $"'{origin}' is not an origin (scheme://host[:port], no path; https, or http for localhost).";
            }
        }
        if (userVerification is null || !UserVerificationValues.Contains(userVerification))
        {
            yield return $"userVerification '{userVerification}' must be one of {string.Join(", ", UserVerificationValues)}.";
        }
        if (attestation is null || !AttestationValues.Contains(attestation))
        {
            yield return $"attestation '{attestation}' must be one of {string.Join(", ", AttestationValues)}.";
        }
    }

    // WebAuthn lets a page use an rpId only if it equals the page's host or is a registrable suffix
    // of it, and browsers refuse public suffixes: a tenant set up otherwise cannot work, and an rpId
    // such as "com" would claim every site under it. Related origins are by definition other sites
    // (the browser checks them against /.well-known/webauthn) and native app origins
    // (android:apk-key-hash:…) have no host, so only http(s) origins are checked here.
    private static IEnumerable<TenantProblem> RelyingPartyScope(string rpId, IReadOnlyList<string> origins)
    {
        var rp = AsciiHost(rpId.TrimEnd('.'));
        // Only a literal in full (127.0.0.1, ::1): IPAddress.TryParse alone would also take "1" as 0.0.0.1.
        var bare = rp.Trim('[', ']');
        IPAddress? rpAddress = null;
        var rpIsIp = (Uri.CheckHostName(bare) is UriHostNameType.IPv4 or UriHostNameType.IPv6) && IPAddress.TryParse(bare, out rpAddress);
        if (!rpIsIp && rp != "localhost" && PublicSuffixList.Default.IsPublicSuffix(rp))
        {
            yield return new TenantProblem(ServerError.RpIdIsPublicSuffix,
                $"rpId '{rpId}' is a public suffix (like com, co.uk or github.io), which browsers refuse as a relying party id; use your own domain, e.g. example.com.");
            yield break;
        }
        foreach (var origin in origins)
        {
            var uri = new Uri(origin);
            if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            {
                continue;
            }
            var host = uri.IdnHost.ToLowerInvariant();
            var under = rpIsIp
                ? IPAddress.TryParse(host.Trim('[', ']'), out var hostAddress) && hostAddress.Equals(rpAddress)
                : host == rp || host.EndsWith("." + rp, StringComparison.Ordinal);
            if (!under)
            {
                yield return new TenantProblem(ServerError.OriginOutsideRpId,
                    $"origin '{origin}' is not on rpId '{rpId}' or a subdomain of it, so browsers would refuse passkeys there; fix the rpId or the origin (other sites belong in relatedOrigins).");
            }
        }
    }

    // Origin hosts come out of Uri in punycode; an rpId may be written in Unicode (bücher.example).
    private static string AsciiHost(string host)
    {
        try
        {
            return new System.Globalization.IdnMapping().GetAscii(host).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return host.ToLowerInvariant();
        }
    }

    /// <summary>True for a serialized origin: https://host[:port], or http for loopback/localhost.</summary>
    public static bool IsOrigin(string? value)
    {
        if (value is null || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return false;
        }
        if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || value.EndsWith('/'))
        {
            return false;
        }
        return uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || uri.Host == "localhost"));
    }
}
