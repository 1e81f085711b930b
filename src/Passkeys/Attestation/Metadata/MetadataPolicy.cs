namespace Passkeys.Attestation.Metadata;

/// <summary>How much attestation the relying party asks for (WebAuthn L3 §5.4.7 AttestationConveyancePreference).</summary>
public enum AttestationConveyanceLevel
{
    /// <summary>No attestation is wanted; trust cannot be required.</summary>
    None,
    /// <summary>The client may replace the statement (e.g. by an anonymisation CA).</summary>
    Indirect,
    /// <summary>The authenticator's statement as generated.</summary>
    Direct,
    /// <summary>Enterprise attestation, which may identify the individual device.</summary>
    Enterprise,
}

/// <summary>Settings of <see cref="MetadataPolicy"/>. Defaults: reject revoked or compromised authenticators; everything else allowed.</summary>
public sealed class MetadataPolicyOptions
{
    /// <summary>Statuses that make the latest status report fatal.</summary>
    public ISet<string> RejectedStatuses { get; init; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "REVOKED",
        "ATTESTATION_KEY_COMPROMISE",
        "USER_VERIFICATION_BYPASS",
        "USER_KEY_REMOTE_COMPROMISE",
        "USER_KEY_PHYSICAL_COMPROMISE",
    };

    /// <summary>When non-empty, only these AAGUIDs may register. Only meaningful with trusted attestation: an unattested AAGUID is self-asserted.</summary>
    public ISet<Guid> AllowedAaguids { get; init; } = new HashSet<Guid>();

    /// <summary>AAGUIDs that may not register.</summary>
    public ISet<Guid> DeniedAaguids { get; init; } = new HashSet<Guid>();

    /// <summary>Refuse credentials with the BE flag (synced passkeys). Off by default.</summary>
    public bool RefuseBackupEligible { get; init; }

    /// <summary>The conveyance the RP requests in its options.</summary>
    public AttestationConveyanceLevel Conveyance { get; init; } = AttestationConveyanceLevel.None;

    /// <summary>Require the attestation to chain to a trusted anchor (REG-24 Trusted). Needs Conveyance other than None.</summary>
    public bool RequireTrustedAttestation { get; init; }

    /// <summary>Throws <see cref="PasskeyError.InvalidConfiguration"/> for contradictory settings.</summary>
    public void Validate()
    {
        if (RequireTrustedAttestation && Conveyance == AttestationConveyanceLevel.None)
        {
            throw new PasskeyException(PasskeyError.InvalidConfiguration,
                "RequireTrustedAttestation needs attestation conveyance indirect, direct or enterprise; with 'none' every registration would fail");
        }
    }
}

/// <summary>
/// A registration policy from FIDO metadata and RP settings: refuses authenticators whose latest
/// metadata status is revoked or compromised, AAGUIDs outside the allow list or on the deny list,
/// backup-eligible credentials when configured, and untrusted attestation when trust is required.
/// </summary>
public sealed class MetadataPolicy : IAuthenticatorPolicy
{
    private readonly Func<MetadataBlob?> _blob;
    private readonly MetadataPolicyOptions _options;

    /// <summary>Creates the policy over the current BLOB (null when none is loaded).</summary>
    public MetadataPolicy(Func<MetadataBlob?> blob, MetadataPolicyOptions options)
    {
        options.Validate();
        _blob = blob;
        _options = options;
    }

    /// <summary>Creates the policy over a fixed BLOB.</summary>
    public MetadataPolicy(MetadataBlob? blob, MetadataPolicyOptions options) : this(() => blob, options) { }

    /// <inheritdoc />
    public void Check(AuthenticatorPolicyContext context)
    {
        if (_options.RequireTrustedAttestation && !context.Trust.IsTrusted)
        {
            throw new PasskeyException(context.Trust.Status == AttestationTrustStatus.NoTrustPath ? PasskeyError.AttestationRequired : PasskeyError.AttestationNotTrusted,
                $"trusted attestation is required; {context.Statement.Format} attestation was {context.Trust.Status}: {context.Trust.Detail}");
        }
        var aaguid = context.Aaguid;
        if (_options.DeniedAaguids.Contains(aaguid))
        {
            throw new PasskeyException(PasskeyError.AuthenticatorNotAllowed, $"AAGUID {aaguid} is on the deny list");
        }
        if (_options.AllowedAaguids.Count > 0 && !_options.AllowedAaguids.Contains(aaguid))
        {
            throw new PasskeyException(PasskeyError.AuthenticatorNotAllowed, $"AAGUID {aaguid} is not on the allow list");
        }
        if (_options.RefuseBackupEligible && context.AuthenticatorData.BackupEligible)
        {
            throw new PasskeyException(PasskeyError.BackupEligibleRefused, "the credential is backup eligible (BE=1) and this RP refuses synced passkeys");
        }
        var entry = MetadataTrustAnchorProvider.FindEntry(_blob(), context.AuthenticatorData, context.Statement);
        if (entry?.LatestStatus is { } latest && _options.RejectedStatuses.Contains(latest.Status))
        {
            throw new PasskeyException(PasskeyError.AuthenticatorStatusRejected,
                $"metadata for '{entry.Description}' ({entry.Aaguid?.ToString() ?? "U2F"}) reports {latest.Status} since {latest.EffectiveDate:yyyy-MM-dd}");
        }
    }
}
