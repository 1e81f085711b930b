namespace Passkeys.Server.Configuration;

/// <summary>
/// <c>Passkeys:Metadata</c>: a FIDO MDS3 BLOB the server names authenticators from (and shows their
/// icons). Off by default: without it names come from the library's passkey-provider list only.
/// See docs/operations.md, "Authenticator metadata".
/// </summary>
public sealed class MetadataOptions
{
    /// <summary>A BLOB file to read (e.g. one an operator downloads and verifies out of band).</summary>
    public string? BlobPath { get; set; }

    /// <summary>A URL to download the BLOB from (HTTPS; plain HTTP only to a loopback mirror), e.g. https://mds3.fidoalliance.org/.</summary>
    public string? BlobUrl { get; set; }

    /// <summary>The root certificate (PEM or DER) the BLOB's signing chain must end at: for FIDO's MDS3, GlobalSign Root CA - R3.</summary>
    public string? RootCertificatePath { get; set; }

    /// <summary>How often the BLOB is read again. FIDO publishes a new one about monthly.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>True when a source is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(BlobPath) || !string.IsNullOrWhiteSpace(BlobUrl);
}
