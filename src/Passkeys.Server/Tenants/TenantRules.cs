using System.Text.RegularExpressions;

namespace Passkeys.Server.Tenants;

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
        foreach (var origin in (origins ?? []).Concat(relatedOrigins ?? []))
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
