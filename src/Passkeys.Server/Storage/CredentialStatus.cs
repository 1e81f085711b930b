namespace Passkeys.Server.Storage;

/// <summary>A credential's <c>status</c> column: only an active credential signs in.</summary>
public static class CredentialStatus
{
    /// <summary>Signs in (the status every credential starts with).</summary>
    public const string Active = "active";
    /// <summary>Refused with CredentialSuspended until reinstated; see <see cref="SuspendedReason"/>.</summary>
    public const string Suspended = "suspended";
}

/// <summary>Why a credential was suspended (its <c>suspended_reason</c> column).</summary>
public static class SuspendedReason
{
    /// <summary>An assertion's signature counter did not exceed the stored one: a copy of the key may exist (AUTH-22).</summary>
    public const string CloneSuspected = "clone-suspected";
    /// <summary>Its authenticator model was reported compromised (FIDO metadata).</summary>
    public const string AuthenticatorRevoked = "authenticator-revoked";
    /// <summary>An operator, the app or the admin suspended it.</summary>
    public const string Operator = "operator";
}

/// <summary>A tenant's <c>cloneDetection</c>: what a counter that did not grow does (docs/api.md, "Suspended passkeys").</summary>
public static class CloneDetectionPolicy
{
    /// <summary>Refuse the sign-in and suspend the credential (default).</summary>
    public const string Suspend = "suspend";
    /// <summary>Allow the sign-in, and mark the credential (<c>cloneSuspectedAt</c>) for the app to act on.</summary>
    public const string Flag = "flag";
    /// <summary>Refuse that one sign-in (SignCountRegression, the library's default) and change nothing on the credential.</summary>
    public const string Ignore = "ignore";

    /// <summary>The values a tenant may set.</summary>
    public static readonly IReadOnlyList<string> All = [Suspend, Flag, Ignore];
}
