using System.Collections.Concurrent;
using Passkeys.Attestation.Metadata;

namespace Passkeys.Server.Metadata;

/// <summary>
/// Names and icons of authenticators for credential views: a thin adapter over the library's one
/// source (<see cref="AuthenticatorNames"/>: the providers file, then the FIDO metadata entry),
/// holding the BLOB this node currently trusts (<see cref="MetadataRefreshService"/> loads it).
/// Without metadata (the default) names come from the providers file only and there are no icons.
/// </summary>
public sealed class AuthenticatorDirectory
{
    // The BLOB and the icons already checked for it, swapped together so a view never mixes two BLOBs.
    // An icon is checked (base64 decoded, up to 64 KiB) once per BLOB and AAGUID, not per list request.
    private volatile InUse? _inUse;

    private sealed record InUse(MetadataBlob Blob, ConcurrentDictionary<Guid, string?> Icons);

    /// <summary>The verified BLOB in use, or null when no metadata source is configured or none has loaded yet.</summary>
    public MetadataBlob? Blob => _inUse?.Blob;

    /// <summary>Replaces the BLOB in use (a newly loaded, verified one).</summary>
    public void Use(MetadataBlob blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        _inUse = new InUse(blob, new ConcurrentDictionary<Guid, string?>());
    }

    /// <summary>The authenticator's name, or null when unknown (always for the zero AAGUID).</summary>
    public string? NameOf(Guid aaguid) => AuthenticatorNames.Find(aaguid, _inUse?.Blob);

    /// <summary>The authenticator's icon (a checked <c>data:image/…;base64</c> URI), or null.</summary>
    /// <remarks>Only AAGUIDs the BLOB lists are remembered, so AAGUIDs made up by registrants cannot grow the memo.</remarks>
    public string? IconOf(Guid aaguid) =>
        _inUse is { } inUse && inUse.Blob.Find(aaguid) is not null
            ? inUse.Icons.GetOrAdd(aaguid, static (id, blob) => AuthenticatorNames.FindIcon(id, blob), inUse.Blob)
            : null;
}
