using System.Security.Cryptography.X509Certificates;

namespace Passkeys.Attestation.Metadata;

/// <summary>One statusReports item of a FIDO MDS3 BLOB entry.</summary>
/// <param name="Status">The AuthenticatorStatus, e.g. "FIDO_CERTIFIED_L1" or "REVOKED".</param>
/// <param name="EffectiveDate">When the status took effect, when given.</param>
/// <param name="AuthenticatorVersion">The firmware version the report applies to, when given.</param>
public sealed record MetadataStatusReport(string Status, DateOnly? EffectiveDate, long? AuthenticatorVersion);

/// <summary>A MetadataBLOBPayloadEntry of FIDO MDS3, reduced to what the relying party uses.</summary>
public sealed class MetadataEntry
{
    /// <summary>Creates an entry.</summary>
    public MetadataEntry(Guid? aaguid, IReadOnlyList<string> attestationCertificateKeyIdentifiers, string? description, string? icon,
        IReadOnlyList<X509Certificate2> attestationRootCertificates, IReadOnlyList<MetadataStatusReport> statusReports, IReadOnlyList<string> attestationTypes)
    {
        Aaguid = aaguid;
        AttestationCertificateKeyIdentifiers = attestationCertificateKeyIdentifiers;
        Description = description;
        Icon = icon;
        AttestationRootCertificates = attestationRootCertificates;
        StatusReports = statusReports;
        AttestationTypes = attestationTypes;
        LatestStatus = Latest(statusReports);
    }

    /// <summary>The FIDO2 AAGUID; null for U2F and UAF entries.</summary>
    public Guid? Aaguid { get; }
    /// <summary>U2F: lowercase hex SHA-1 of attestation certificates' subject public keys.</summary>
    public IReadOnlyList<string> AttestationCertificateKeyIdentifiers { get; }
    /// <summary>metadataStatement.description.</summary>
    public string? Description { get; }
    /// <summary>metadataStatement.icon (a data: URL), when present.</summary>
    public string? Icon { get; }
    /// <summary>metadataStatement.attestationRootCertificates.</summary>
    public IReadOnlyList<X509Certificate2> AttestationRootCertificates { get; }
    /// <summary>statusReports, in BLOB order (which is not chronological for every entry).</summary>
    public IReadOnlyList<MetadataStatusReport> StatusReports { get; }
    /// <summary>metadataStatement.attestationTypes (basic_full, attca, …).</summary>
    public IReadOnlyList<string> AttestationTypes { get; }
    /// <summary>
    /// The report with the latest effectiveDate; null when there are none. Among reports of the same
    /// date a compromise or revocation wins (a certification dated the same day must never hide it),
    /// otherwise the first listed (the BLOB lists the newest first, e.g. FIDO_CERTIFIED_L1 before FIDO_CERTIFIED).
    /// </summary>
    public MetadataStatusReport? LatestStatus { get; }

    // NOTE: never "the last element": TruU's REVOKED report and YubiKey 5 FIPS's L2 report come first.
    private static MetadataStatusReport? Latest(IReadOnlyList<MetadataStatusReport> reports)
    {
        MetadataStatusReport? latest = null;
        foreach (var report in reports)
        {
            var date = report.EffectiveDate ?? DateOnly.MinValue;
            var latestDate = latest?.EffectiveDate ?? DateOnly.MinValue;
            if (latest is null || date > latestDate || (date == latestDate && IsAlarm(report.Status) && !IsAlarm(latest.Status)))
            {
                latest = report;
            }
        }
        return latest;
    }

    // The statuses FIDO defines as revoking or compromising an authenticator (MDS3 §3.1.4).
    private static bool IsAlarm(string status) => status is "REVOKED" or "ATTESTATION_KEY_COMPROMISE" or "USER_VERIFICATION_BYPASS"
        or "USER_KEY_REMOTE_COMPROMISE" or "USER_KEY_PHYSICAL_COMPROMISE";
}
