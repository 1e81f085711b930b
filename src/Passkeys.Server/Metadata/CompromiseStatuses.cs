using Passkeys.Attestation.Metadata;

namespace Passkeys.Server.Metadata;

/// <summary>
/// The FIDO MDS3 AuthenticatorStatus values (MDS3 §3.1.4) after which an authenticator model is
/// refused at registration and its existing passkeys are suspended (<c>authenticator-revoked</c>):
/// REVOKED, ATTESTATION_KEY_COMPROMISE, USER_VERIFICATION_BYPASS, USER_KEY_REMOTE_COMPROMISE and
/// USER_KEY_PHYSICAL_COMPROMISE, the "undesired" group of go-webauthn's metadata/status.go and
/// the library's <see cref="MetadataPolicyOptions.RejectedStatuses"/>.
/// </summary>
/// <remarks>
/// What counts is the entry's current status, <see cref="MetadataEntry.LatestStatus"/> (the report
/// with the latest effectiveDate; a compromise wins a tie), as MDS3 says the latest report reflects
/// the current status and as the library's MetadataPolicy reads it. go-webauthn goes further and
/// lets any compromise report in effect count even after a later certification; we do not, so a
/// model FIDO certifies again after a fix (a new report) registers again. Reports that name an
/// authenticatorVersion are applied to the whole model: the version is not in a registration.
/// </remarks>
public static class CompromiseStatuses
{
    /// <summary>The statuses, one set shared with the library's default policy.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(new MetadataPolicyOptions().RejectedStatuses, StringComparer.Ordinal);

    /// <summary>The entry's current status report when it is a compromise or revocation; otherwise (or for no entry) null.</summary>
    public static MetadataStatusReport? Of(MetadataEntry? entry) =>
        entry?.LatestStatus is { } latest && All.Contains(latest.Status) ? latest : null;
}
