using Passkeys.Server.Endpoints;
using Passkeys.Server.Metadata;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;
using Passkeys.Server.Tenants;

namespace Passkeys.Server.Ceremonies;

/// <summary>Maps stored records to response shapes.</summary>
public static class Views
{
    /// <summary>A user.</summary>
    public static UserView Of(UserRecord user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.Id, user.Name, user.DisplayName);
    }

    /// <summary>
    /// A credential; <paramref name="defaultId"/> is the user's default credential, and
    /// <paramref name="authenticators"/> names it (and gives its icon) by AAGUID.
    /// </summary>
    public static CredentialView Of(CredentialRecordRow c, byte[]? defaultId, AuthenticatorDirectory authenticators)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(authenticators);
        return new(Secrets.Base64Url(c.Id), c.Name, authenticators.NameOf(c.Aaguid), c.Aaguid, c.CreatedAt, c.LastUsedAt, c.BackupState,
            c.BackupEligible, c.Transports, defaultId is not null && c.Id.AsSpan().SequenceEqual(defaultId), c.AttestationFormat, c.AttestationTrusted,
            authenticators.IconOf(c.Aaguid), c.Status, c.SuspendedReason, c.SuspendedAt, c.CloneSuspectedAt, c.AttestationType);
    }

    /// <summary>A tenant.</summary>
    public static TenantView Of(TenantRecord t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new(t.Id, t.RpId, t.RpName, t.Origins, t.RelatedOrigins, t.UserVerification, t.Attestation, t.SelfSignUp, t.CreatedAt,
            Tenants.TenantAlgorithms.Names(t.Algorithms), t.CloneDetection, t.AttestationPolicy ?? Tenants.AttestationPolicySettings.Default, t.NativeApps, t.Rollout);
    }
}
