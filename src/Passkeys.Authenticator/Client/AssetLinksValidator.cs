using System.Text.Json;

namespace Passkeys.Authenticator.Client;

/// <summary>
/// Credential Manager's check before an Android app may use an RP ID: the domain's Digital Asset
/// Links statements must give the app (package name and signing certificate) the relation
/// <c>delegate_permission/common.get_login_creds</c>. Anything else is a SecurityError, as a web
/// page's RP ID outside its origin would be.
/// </summary>
internal static class AssetLinksValidator
{
    public const string GetLoginCreds = "delegate_permission/common.get_login_creds";

    public static async Task ValidateAsync(AndroidApp app, string? rpId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(rpId))
        {
            // An app has no origin host to default to: Credential Manager requires the RP ID.
            throw new WebAuthnClientException(WebAuthnClientException.TypeError, "an Android app's request must name the RP ID (rp.id or rpId)");
        }
        string json = await app.AssetLinks(rpId, cancellationToken).ConfigureAwait(false);
        if (!Lists(json, app))
        {
            throw new WebAuthnClientException(WebAuthnClientException.SecurityError,
                $"https://{rpId}/.well-known/assetlinks.json does not give {app.PackageName} ({app.Fingerprint}) the relation {GetLoginCreds}");
        }
    }

    private static bool Lists(string json, AndroidApp app)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return false;
            }
            foreach (var statement in document.RootElement.EnumerateArray())
            {
                if (statement.ValueKind == JsonValueKind.Object && HasRelation(statement) && IsApp(statement, app))
                {
                    return true;
                }
            }
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool HasRelation(JsonElement statement) =>
        statement.TryGetProperty("relation", out var relation) && relation.ValueKind == JsonValueKind.Array
        && relation.EnumerateArray().Any(r => r.ValueKind == JsonValueKind.String && r.GetString() == GetLoginCreds);

    private static bool IsApp(JsonElement statement, AndroidApp app)
    {
        if (!statement.TryGetProperty("target", out var target) || target.ValueKind != JsonValueKind.Object
            || !target.TryGetProperty("namespace", out var ns) || ns.ValueKind != JsonValueKind.String || ns.GetString() != "android_app"
            || !target.TryGetProperty("package_name", out var package) || package.ValueKind != JsonValueKind.String || package.GetString() != app.PackageName
            || !target.TryGetProperty("sha256_cert_fingerprints", out var fingerprints) || fingerprints.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        return fingerprints.EnumerateArray().Any(f => f.ValueKind == JsonValueKind.String
            && string.Equals(f.GetString(), app.Fingerprint, StringComparison.OrdinalIgnoreCase));
    }
}
