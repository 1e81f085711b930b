using System.Globalization;
using System.Text.RegularExpressions;
using Passkeys.Server.Errors;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Tenants.NativeApps;

/// <summary>
/// The rules for a tenant's native apps and app origins, and the origins they add. Web origins keep
/// the rules of <see cref="TenantRules"/> (https, inside the rpId); an app origin has no host, so only
/// its shape is checked here.
/// </summary>
public static partial class NativeAppRules
{
    /// <summary>What an Android app's clientDataJSON origin starts with; the rest is the base64url SHA-256 of its signing certificate.</summary>
    public const string AndroidOriginPrefix = "android:apk-key-hash:";

    /// <summary>At most this many Android apps, iOS apps, and certificates per Android app: a tenant is one app family, not a store.</summary>
    public const int MaxApps = 20;

    /// <summary>At most this many signing certificates per Android app (a rotation needs two).</summary>
    public const int MaxFingerprints = 5;

    // Android's application id rules: two or more segments, each a letter then letters, digits or '_'.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)+$")]
    private static partial Regex PackageNamePattern();

    // keytool's form: 32 bytes as two hex digits each, separated by colons.
    [GeneratedRegex("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}$")]
    private static partial Regex FingerprintPattern();

    // Apple's app id: a 10-character team id, a dot, the bundle id (letters, digits, '-' and '.').
    [GeneratedRegex("^[A-Z0-9]{10}\\.[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*$")]
    private static partial Regex IosAppIdPattern();

    /// <summary>
    /// True for an origin in the <c>android:</c> scheme: an app's, checked by <see cref="IsAndroidOrigin"/>.
    /// Anything else is taken for a web origin and checked as one (a typo such as <c>shop.example/path</c>
    /// stays a malformed web origin).
    /// </summary>
    public static bool IsAppOrigin(string origin) => origin.StartsWith("android:", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for <c>android:apk-key-hash:</c> followed by the unpadded base64url of 32 bytes.</summary>
    public static bool IsAndroidOrigin(string? origin)
    {
        if (origin is null || !origin.StartsWith(AndroidOriginPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        var hash = origin.AsSpan(AndroidOriginPrefix.Length);
        // 32 bytes are 43 unpadded base64url characters; the last carries 2 spare bits, which must be zero
        // (otherwise two spellings would name one certificate, and origins are compared byte for byte).
        return hash.Length == 43 && Secrets.FromBase64Url(hash.ToString()) is { Length: 32 } bytes
            && Secrets.Base64Url(bytes) == hash.ToString();
    }

    /// <summary>The origin an Android app signed with the certificate of <paramref name="fingerprint"/> (AB:CD:… form) puts in clientDataJSON.</summary>
    public static string AndroidOrigin(string fingerprint) =>
        AndroidOriginPrefix + Secrets.Base64Url(FingerprintBytes(fingerprint));

    /// <summary>
    /// Problems with the app origins among a tenant's <c>origins</c>: every <c>android:</c> entry must
    /// be a well-formed Android origin (<see cref="ServerError.AppOriginInvalid"/>).
    /// </summary>
    public static IEnumerable<TenantProblem> OriginProblems(IReadOnlyList<string>? origins)
    {
        foreach (var origin in origins ?? [])
        {
            if (origin is not null && IsAppOrigin(origin) && !IsAndroidOrigin(origin))
            {
                yield return new TenantProblem(ServerError.AppOriginInvalid,
                    $"'{origin}' is not an Android app origin: {AndroidOriginPrefix} and the unpadded base64url SHA-256 of the app's signing certificate (43 characters).");
            }
        }
    }

    /// <summary>
    /// Checks and normalizes a tenant's <c>nativeApps</c> (fingerprints in upper case, empty settings as null);
    /// each problem names its JSON path under <c>nativeApps</c>.
    /// </summary>
    public static (NativeAppSettings? Settings, IReadOnlyList<TenantProblem> Problems) Check(NativeAppSettings? input)
    {
        if (input is null)
        {
            return (null, []);
        }
        var problems = new List<TenantProblem>();
        var android = new List<AndroidAppSetting>();
        if (input.AndroidApps.Count > MaxApps)
        {
            problems.Add(Android($"nativeApps.android lists {input.AndroidApps.Count} apps; at most {MaxApps} are allowed."));
        }
        for (var i = 0; i < input.AndroidApps.Count && i < MaxApps; i++)
        {
            var app = input.AndroidApps[i];
            var at = $"nativeApps.android[{i}]";
            if (app is null)
            {
                problems.Add(Android($"{at} must be an object with packageName and sha256CertFingerprints."));
                continue;
            }
            if (app.PackageName is null || app.PackageName.Length > 255 || !PackageNamePattern().IsMatch(app.PackageName))
            {
                problems.Add(Android($"{at}.packageName '{app.PackageName}' must be an Android application id such as com.example.app (segments of letters, digits and '_', each starting with a letter)."));
            }
            else if (android.Any(a => a.PackageName == app.PackageName))
            {
                problems.Add(Android($"{at}.packageName '{app.PackageName}' is listed twice; give one entry with all its certificates."));
            }
            var fingerprints = app.Sha256CertFingerprints ?? [];
            if (fingerprints.Count is 0 or > MaxFingerprints)
            {
                problems.Add(Android($"{at}.sha256CertFingerprints must list 1 to {MaxFingerprints} certificate fingerprints."));
            }
            var normalized = new List<string>();
            for (var j = 0; j < fingerprints.Count && j < MaxFingerprints; j++)
            {
                var fingerprint = fingerprints[j];
                if (fingerprint is null || !FingerprintPattern().IsMatch(fingerprint))
                {
                    problems.Add(Android($"{at}.sha256CertFingerprints[{j}] '{fingerprint}' must be a SHA-256 fingerprint as keytool prints it: 32 bytes in hex separated by colons (AB:CD:…)."));
                    continue;
                }
                var upper = fingerprint.ToUpperInvariant();
                if (normalized.Contains(upper))
                {
                    problems.Add(Android($"{at}.sha256CertFingerprints[{j}] repeats a fingerprint."));
                    continue;
                }
                normalized.Add(upper);
            }
            android.Add(new AndroidAppSetting(app.PackageName ?? "", normalized));
        }
        var ios = new List<string>();
        if (input.IosAppIds.Count > MaxApps)
        {
            problems.Add(new TenantProblem(ServerError.IosAppIdInvalid, $"nativeApps.ios lists {input.IosAppIds.Count} apps; at most {MaxApps} are allowed."));
        }
        for (var i = 0; i < input.IosAppIds.Count && i < MaxApps; i++)
        {
            var id = input.IosAppIds[i];
            if (id is null || id.Length > 255 || !IosAppIdPattern().IsMatch(id))
            {
                problems.Add(new TenantProblem(ServerError.IosAppIdInvalid,
                    $"nativeApps.ios[{i}] '{id}' must be an app id TEAMID.bundle.id: the 10-character team id (capital letters and digits), a dot, then the bundle id."));
            }
            else if (ios.Contains(id))
            {
                problems.Add(new TenantProblem(ServerError.IosAppIdInvalid, $"nativeApps.ios[{i}] '{id}' is listed twice."));
            }
            else
            {
                ios.Add(id);
            }
        }
        if (problems.Count > 0)
        {
            return (null, problems);
        }
        var settings = new NativeAppSettings(android, ios);
        return (settings.IsEmpty ? null : settings, []);
    }

    /// <summary>
    /// Every origin a ceremony of <paramref name="tenant"/> accepts in clientDataJSON: its origins and
    /// related origins, each Android app's origin per certificate, and <c>https://{rpId}</c> when it has
    /// iOS apps (an iOS app's requests carry its associated domain as the origin).
    /// </summary>
    public static IReadOnlyList<string> AcceptedOrigins(TenantRecord tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var origins = new List<string>(tenant.Origins);
        origins.AddRange(tenant.RelatedOrigins);
        if (tenant.NativeApps is { } apps)
        {
            origins.AddRange(apps.AndroidApps.SelectMany(a => a.Sha256CertFingerprints).Select(AndroidOrigin));
            if (apps.IosAppIds.Count > 0)
            {
                origins.Add("https://" + tenant.RpId.TrimEnd('.').ToLowerInvariant());
            }
        }
        return [.. origins.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The web origins alone (for CORS and /.well-known/webauthn, which apps do not use).</summary>
    public static IEnumerable<string> WebOrigins(IEnumerable<string> origins) => origins.Where(o => !IsAppOrigin(o));

    private static byte[] FingerprintBytes(string fingerprint) =>
        [.. fingerprint.Split(':').Select(b => byte.Parse(b, NumberStyles.HexNumber, CultureInfo.InvariantCulture))];

    private static TenantProblem Android(string message) => new(ServerError.AndroidAppInvalid, message);
}
