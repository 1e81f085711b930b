using System.Text.Json;
using Passkeys.Attestation;
using Passkeys.Protocol;

namespace Passkeys.Ceremonies;

/// <summary>The result of <see cref="RelyingParty.BeginRegistration"/>.</summary>
/// <param name="Options">The options for navigator.credentials.create() (send <see cref="OptionsJson"/> to the browser).</param>
/// <param name="State">Server-side state; keep it and pass it to FinishRegistration.</param>
public sealed record RegistrationCeremony(CredentialCreationOptionsJson Options, RegistrationState State)
{
    /// <summary>The options as PublicKeyCredentialCreationOptionsJSON text.</summary>
    public string OptionsJson => JsonSerializer.Serialize(Options, PasskeysJsonContext.Default.CredentialCreationOptionsJson);
}

/// <summary>The result of <see cref="RelyingParty.BeginAuthentication"/>.</summary>
/// <param name="Options">The options for navigator.credentials.get() (send <see cref="OptionsJson"/> to the browser).</param>
/// <param name="State">Server-side state; keep it and pass it to FinishAuthentication.</param>
public sealed record AuthenticationCeremony(CredentialRequestOptionsJson Options, AuthenticationState State)
{
    /// <summary>The options as PublicKeyCredentialRequestOptionsJSON text.</summary>
    public string OptionsJson => JsonSerializer.Serialize(Options, PasskeysJsonContext.Default.CredentialRequestOptionsJson);
}

/// <summary>A verified registration: the record to store (REG-29) and what was learned on the way.</summary>
public sealed record RegisteredPasskey
{
    /// <summary>The credential record to store under the user.</summary>
    public required CredentialRecord Credential { get; init; }
    /// <summary>The verified attestation statement (format, type, trust path).</summary>
    public required AttestationStatementResult Attestation { get; init; }
    /// <summary>The trust judgement of the attestation.</summary>
    public required AttestationTrustResult Trust { get; init; }
    /// <summary>The registration's authenticator data.</summary>
    public required AuthenticatorData AuthenticatorData { get; init; }
    /// <summary>Whether the user was verified.</summary>
    public bool UserVerified => AuthenticatorData.UserVerified;
    /// <summary>credProps.rk: whether the credential is discoverable, when the client said.</summary>
    public bool? Discoverable { get; init; }
    /// <summary>"platform", "cross-platform" or null.</summary>
    public string? AuthenticatorAttachment { get; init; }
    /// <summary>prf.enabled, when the client said.</summary>
    public bool? PrfEnabled { get; init; }
    /// <summary>largeBlob.supported, when the client said.</summary>
    public bool? LargeBlobSupported { get; init; }
    /// <summary>credProtect level applied by the authenticator, when it said.</summary>
    public int? CredentialProtectionPolicy { get; init; }
}

/// <summary>A verified assertion (AUTH-25), with the record updates of AUTH-24 already applied to <see cref="UpdatedCredential"/>.</summary>
public sealed record VerifiedAuthentication
{
    /// <summary>The credential used.</summary>
    public required byte[] CredentialId { get; init; }
    /// <summary>The account's user handle.</summary>
    public required byte[] UserHandle { get; init; }
    /// <summary>The counter in this assertion.</summary>
    public uint SignCount { get; init; }
    /// <summary>Whether the counter failed to increase (only possible under <see cref="SignCountRegressionPolicy.AllowAndReport"/>).</summary>
    public bool SignCountRegressed { get; init; }
    /// <summary>Whether the user was verified (UV).</summary>
    public bool UserVerified { get; init; }
    /// <summary>BE in this assertion.</summary>
    public bool BackupEligible { get; init; }
    /// <summary>BS in this assertion.</summary>
    public bool BackupState { get; init; }
    /// <summary>SHA-256 of the transaction payload the user approved (step-up), when the ceremony bound one.</summary>
    public byte[]? TransactionHash { get; init; }
    /// <summary>The credential record with signCount and backupState updated (AUTH-24); store it.</summary>
    public required CredentialRecord UpdatedCredential { get; init; }
    /// <summary>"platform", "cross-platform" or null.</summary>
    public string? AuthenticatorAttachment { get; init; }
}
