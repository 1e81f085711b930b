using System.Text.Json.Serialization;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Tenants.NativeApps;

/// <summary>
/// The files an app's domain (the tenant's rpId) must serve so the phone lets the app use the
/// domain's passkeys: Android's Digital Asset Links statement list at
/// <c>https://{rpId}/.well-known/assetlinks.json</c> and Apple's
/// <c>https://{rpId}/.well-known/apple-app-site-association</c>.
/// </summary>
/// <remarks>
/// https://developer.android.com/identity/sign-in/credential-manager#add-support-dal and
/// https://developer.apple.com/documentation/xcode/supporting-associated-domains.
/// </remarks>
public static class AppSiteAssociation
{
    /// <summary>The relation that lets an Android app use the domain's sign-in credentials (Credential Manager checks it).</summary>
    public const string GetLoginCreds = "delegate_permission/common.get_login_creds";

    /// <summary>One Digital Asset Links statement per Android app of <paramref name="tenant"/>.</summary>
    public static IReadOnlyList<AssetLinkStatement> AssetLinks(TenantRecord tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return [.. (tenant.NativeApps?.AndroidApps ?? []).Select(a =>
            new AssetLinkStatement([GetLoginCreds], new AssetLinkTarget("android_app", a.PackageName, a.Sha256CertFingerprints)))];
    }

    /// <summary>The <c>webcredentials</c> entry listing <paramref name="tenant"/>'s iOS apps.</summary>
    public static AppleAppSiteAssociation Apple(TenantRecord tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return new AppleAppSiteAssociation(new WebCredentials([.. tenant.NativeApps?.IosAppIds ?? []]));
    }
}

/// <summary>A Digital Asset Links statement.</summary>
public sealed record AssetLinkStatement(
    [property: JsonPropertyName("relation")] IReadOnlyList<string> Relation,
    [property: JsonPropertyName("target")] AssetLinkTarget Target);

/// <summary>The app a statement is about.</summary>
public sealed record AssetLinkTarget(
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("package_name")] string PackageName,
    [property: JsonPropertyName("sha256_cert_fingerprints")] IReadOnlyList<string> Sha256CertFingerprints);

/// <summary>The part of apple-app-site-association that passkeys use.</summary>
public sealed record AppleAppSiteAssociation([property: JsonPropertyName("webcredentials")] WebCredentials WebCredentials);

/// <summary>The apps allowed to use the domain's credentials.</summary>
public sealed record WebCredentials([property: JsonPropertyName("apps")] IReadOnlyList<string> Apps);
