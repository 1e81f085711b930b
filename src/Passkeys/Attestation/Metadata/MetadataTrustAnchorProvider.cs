using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Passkeys.Protocol;

namespace Passkeys.Attestation.Metadata;

/// <summary>
/// REG-23 from FIDO metadata: the attestationRootCertificates of the BLOB entry for the
/// statement's AAGUID, or for fido-u2f (no AAGUID) of the entry whose
/// attestationCertificateKeyIdentifiers hold the SHA-1 of the leaf's subject public key.
/// </summary>
public sealed class MetadataTrustAnchorProvider : ITrustAnchorProvider
{
    private readonly Func<MetadataBlob?> _blob;

    /// <summary>Creates a provider over a fixed BLOB.</summary>
    public MetadataTrustAnchorProvider(MetadataBlob blob) : this(() => blob) { }

    /// <summary>Creates a provider over the current BLOB (e.g. one a background refresh replaces).</summary>
    public MetadataTrustAnchorProvider(Func<MetadataBlob?> blob) => _blob = blob;

    /// <inheritdoc />
    public IReadOnlyList<X509Certificate2> GetTrustAnchors(AuthenticatorData authenticatorData, AttestationStatementResult statement) =>
        FindEntry(_blob(), authenticatorData, statement)?.AttestationRootCertificates ?? [];

    /// <summary>The metadata entry describing this statement's authenticator, or null.</summary>
    public static MetadataEntry? FindEntry(MetadataBlob? blob, AuthenticatorData authenticatorData, AttestationStatementResult statement)
    {
        if (blob is null)
        {
            return null;
        }
        if (string.Equals(statement.Format, "fido-u2f", StringComparison.Ordinal) && statement.TrustPath.Count > 0)
        {
            return blob.FindByKeyIdentifier(KeyIdentifier(statement.TrustPath[0]));
        }
        var aaguid = authenticatorData.AttestedCredentialData?.Aaguid ?? Guid.Empty;
        return aaguid == Guid.Empty ? null : blob.Find(aaguid);
    }

    /// <summary>attestationCertificateKeyIdentifier: lowercase hex SHA-1 of the certificate's subjectPublicKey bits (the uncompressed EC point for U2F).</summary>
    public static string KeyIdentifier(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA1.HashData(certificate.PublicKey.EncodedKeyValue.RawData));
}
