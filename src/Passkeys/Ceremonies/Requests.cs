using Passkeys.Protocol;

namespace Passkeys.Ceremonies;

/// <summary>The user account a credential is created for.</summary>
/// <param name="Id">The user handle: random bytes (1–64), no personal information.</param>
/// <param name="Name">Account name (username or email), shown by the authenticator.</param>
/// <param name="DisplayName">Display name.</param>
public sealed record UserIdentity(byte[] Id, string Name, string DisplayName);

/// <summary>A credential reference for excludeCredentials / allowCredentials.</summary>
/// <param name="Id">The credential id.</param>
/// <param name="Transports">Transport hints, when known.</param>
public sealed record CredentialDescriptor(byte[] Id, IReadOnlyList<string>? Transports = null);

/// <summary>Extension inputs for registration.</summary>
public sealed record RegistrationExtensions
{
    /// <summary>credProps: ask whether the credential is discoverable.</summary>
    public bool CredProps { get; init; } = true;
    /// <summary>credProtect policy (1–3), or null for none.</summary>
    public int? CredentialProtectionPolicy { get; init; }
    /// <summary>Require the client to refuse authenticators that can't apply <see cref="CredentialProtectionPolicy"/>.</summary>
    public bool EnforceCredentialProtectionPolicy { get; init; }
    /// <summary>prf: ask for PRF support.</summary>
    public bool Prf { get; init; }
    /// <summary>largeBlob support: "required" or "preferred", or null.</summary>
    public string? LargeBlobSupport { get; init; }
    /// <summary>
    /// appidExclude (WebAuthn L3 §10.1.2): the legacy U2F AppID the relying party registered
    /// credentials under, or null. The client then also refuses an authenticator holding one of
    /// <see cref="RegistrationRequest.ExcludeCredentials"/> as a U2F credential for this AppID.
    /// Must be an https URL whose host is the RP ID, a subdomain of it, or a registrable domain it
    /// is a subdomain of (the same AppID rule as <see cref="AuthenticationRequest.AppId"/>).
    /// </summary>
    public string? AppIdExclude { get; init; }
}

/// <summary>What <see cref="RelyingParty.BeginRegistration"/> needs.</summary>
public sealed record RegistrationRequest
{
    /// <summary>The account.</summary>
    public required UserIdentity User { get; init; }
    /// <summary>The account's existing credentials (so one authenticator isn't registered twice).</summary>
    public IReadOnlyList<CredentialDescriptor> ExcludeCredentials { get; init; } = [];
    /// <summary>Platform or cross-platform, or null for either.</summary>
    public AuthenticatorAttachment? Attachment { get; init; }
    /// <summary>Overrides <see cref="RelyingPartyOptions.ResidentKey"/>.</summary>
    public ResidentKeyRequirement? ResidentKey { get; init; }
    /// <summary>Overrides <see cref="RelyingPartyOptions.UserVerification"/>.</summary>
    public UserVerificationRequirement? UserVerification { get; init; }
    /// <summary>Overrides <see cref="RelyingPartyOptions.Attestation"/>.</summary>
    public AttestationConveyancePreference? Attestation { get; init; }
    /// <summary>Hints ("security-key", "client-device", "hybrid").</summary>
    public IReadOnlyList<string> Hints { get; init; } = [];
    /// <summary>Extension inputs.</summary>
    public RegistrationExtensions Extensions { get; init; } = new();
    /// <summary>
    /// The page will call create() with mediation "conditional" (automatic passkey upgrade): the
    /// UP flag may then be 0 (REG-15). Recorded in server-side state, never taken from the client.
    /// </summary>
    public bool ConditionalCreate { get; init; }
}

/// <summary>What <see cref="RelyingParty.BeginAuthentication"/> needs.</summary>
public sealed record AuthenticationRequest
{
    /// <summary>
    /// The identified user's handle (sign-in by username, step-up), or null for discoverable
    /// (usernameless) sign-in, where the response's userHandle names the account (AUTH-06).
    /// </summary>
    public byte[]? UserHandle { get; init; }
    /// <summary>allowCredentials: the identified user's credentials; empty for discoverable sign-in.</summary>
    public IReadOnlyList<CredentialDescriptor> AllowCredentials { get; init; } = [];
    /// <summary>Overrides <see cref="RelyingPartyOptions.UserVerification"/>.</summary>
    public UserVerificationRequirement? UserVerification { get; init; }
    /// <summary>Hints ("security-key", "client-device", "hybrid").</summary>
    public IReadOnlyList<string> Hints { get; init; } = [];
    /// <summary>
    /// Bytes to bind into the challenge (step-up / transaction confirmation): the challenge becomes
    /// random ‖ SHA-256(payload), so the signature covers what the user approved.
    /// </summary>
    public byte[]? TransactionPayload { get; init; }
    /// <summary>
    /// The legacy U2F AppID (appid extension, §10.1.1) for credentials registered through U2F: an
    /// https URL whose host is the RP ID, a subdomain of it, or a registrable domain it is a
    /// subdomain of; anything else fails at begin with <see cref="PasskeyError.InvalidConfiguration"/>.
    /// </summary>
    public string? AppId { get; init; }
}
