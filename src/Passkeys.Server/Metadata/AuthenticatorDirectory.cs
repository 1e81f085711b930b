using Passkeys.Attestation.Metadata;

namespace Passkeys.Server.Metadata;

/// <summary>
/// Names and icons of authenticators for credential views: a thin adapter over the library's one
/// source (<see cref="AuthenticatorNames"/>: the providers file, then the FIDO metadata entry),
/// holding the BLOB this node currently trusts. Without metadata (the default) names come from the
/// providers file only and there are no icons.
/// </summary>
public sealed class AuthenticatorDirectory
{
    private volatile MetadataBlob? _blob;

    /// <summary>The verified BLOB in use, or null when no metadata source is configured or none has loaded yet.</summary>
    public MetadataBlob? Blob => _blob;

    /// <summary>Replaces the BLOB in use (a newly loaded, verified one).</summary>
    public void Use(MetadataBlob blob) => _blob = blob ?? throw new ArgumentNullException(nameof(blob));

    /// <summary>The authenticator's name, or null when unknown (always for the zero AAGUID).</summary>
    public string? NameOf(Guid aaguid) => AuthenticatorNames.Find(aaguid, _blob);

    /// <summary>The authenticator's icon (a checked <c>data:image/…;base64</c> URI), or null.</summary>
    public string? IconOf(Guid aaguid) => AuthenticatorNames.FindIcon(aaguid, _blob);
}
