using Passkeys.Server.Endpoints;
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

    /// <summary>A credential; <paramref name="defaultId"/> is the user's default credential.</summary>
    public static CredentialView Of(CredentialRecordRow c, byte[]? defaultId)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(Secrets.Base64Url(c.Id), c.Name, AuthenticatorNames.For(c.Aaguid), c.Aaguid, c.CreatedAt, c.LastUsedAt, c.BackupState,
            c.BackupEligible, c.Transports, defaultId is not null && c.Id.AsSpan().SequenceEqual(defaultId), c.AttestationFormat, c.AttestationTrusted,
            c.Status, c.SuspendedReason, c.SuspendedAt, c.CloneSuspectedAt);
    }

    /// <summary>A tenant.</summary>
    public static TenantView Of(TenantRecord t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new(t.Id, t.RpId, t.RpName, t.Origins, t.RelatedOrigins, t.UserVerification, t.Attestation, t.SelfSignUp, t.CreatedAt, t.CloneDetection);
    }
}
