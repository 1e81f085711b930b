using System.Text.Json.Serialization;

namespace Passkeys.Server.Tenants.NativeApps;

/// <summary>
/// A tenant's native apps (docs/integration.md, "Native apps"): the Android apps and iOS apps that
/// may use its passkeys beside its web origins. Stored as one JSON column; shown and accepted as the
/// tenant's <c>nativeApps</c> object.
/// </summary>
/// <param name="Android">Android apps: their package and signing certificates. An app's passkey requests carry the origin <c>android:apk-key-hash:…</c> of its certificate.</param>
/// <param name="Ios">iOS app ids, <c>TEAMID.bundle.id</c>. An iOS app's requests carry the origin <c>https://{rpId}</c>.</param>
public sealed record NativeAppSettings(IReadOnlyList<AndroidAppSetting>? Android = null, IReadOnlyList<string>? Ios = null)
{
    /// <summary>The Android apps, never null.</summary>
    [JsonIgnore]
    public IReadOnlyList<AndroidAppSetting> AndroidApps => Android ?? [];

    /// <summary>The iOS app ids, never null.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> IosAppIds => Ios ?? [];

    /// <summary>True when neither list has an entry.</summary>
    [JsonIgnore]
    public bool IsEmpty => AndroidApps.Count == 0 && IosAppIds.Count == 0;
}

/// <summary>One Android app.</summary>
/// <param name="PackageName">The application id, e.g. <c>com.example.app</c>.</param>
/// <param name="Sha256CertFingerprints">
/// SHA-256 fingerprints of the certificates the app is signed with, as <c>keytool -list</c> and the
/// Play Console print them (<c>AB:CD:…</c>, 32 bytes); more than one during a key rotation.
/// </param>
public sealed record AndroidAppSetting(string PackageName, IReadOnlyList<string> Sha256CertFingerprints);
