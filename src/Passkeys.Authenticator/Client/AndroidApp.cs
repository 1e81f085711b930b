using System.Globalization;

namespace Passkeys.Authenticator.Client;

/// <summary>
/// An Android app the software client stands in for, in the role of Android's Credential Manager:
/// clientDataJSON carries the app's origin (<c>android:apk-key-hash:</c> and the base64url SHA-256 of
/// its signing certificate) instead of a web page's, and the RP ID is allowed only when the RP ID's
/// domain lists the app in its Digital Asset Links file.
/// </summary>
/// <remarks>
/// https://developer.android.com/identity/sign-in/credential-manager#add-support-dal and
/// https://www.w3.org/TR/webauthn-3/#sctn-validating-origin (app origins).
/// </remarks>
public sealed class AndroidApp
{
    /// <summary>The application id, e.g. "com.example.app".</summary>
    public required string PackageName { get; init; }

    /// <summary>The SHA-256 of the certificate the app is signed with (32 bytes).</summary>
    public required IReadOnlyList<byte> SigningCertificateSha256 { get; init; }

    /// <summary>
    /// Reads the Digital Asset Links statements the RP ID's domain serves (what Credential Manager
    /// fetches from <c>https://{rpId}/.well-known/assetlinks.json</c>): the RP ID in, the JSON out.
    /// </summary>
    public required Func<string, CancellationToken, Task<string>> AssetLinks { get; init; }

    /// <summary>The origin the app's requests carry in clientDataJSON.</summary>
    public string Origin => "android:apk-key-hash:" + System.Buffers.Text.Base64Url.EncodeToString([.. SigningCertificateSha256]);

    /// <summary>The certificate fingerprint as assetlinks.json and keytool write it (AB:CD:…).</summary>
    public string Fingerprint => string.Join(':', SigningCertificateSha256.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
}
