using Passkeys.Cose;

namespace Passkeys.Ceremonies;

/// <summary>
/// A credential record (WebAuthn L3 §4 "Credential Record", REG-27): what the relying party stores
/// after registration and passes back to <see cref="RelyingParty.FinishAuthentication(string, AuthenticationState, CredentialRecord)"/>.
/// </summary>
public sealed record CredentialRecord
{
    /// <summary>The credential id.</summary>
    public required byte[] Id { get; init; }

    /// <summary>The user handle of the account the credential belongs to.</summary>
    public required byte[] UserHandle { get; init; }

    /// <summary>The credential public key as a COSE_Key, byte for byte as the authenticator sent it.</summary>
    public required byte[] PublicKey { get; init; }

    /// <summary>The key's algorithm.</summary>
    public required CoseAlgorithm Algorithm { get; init; }

    /// <summary>The last signature counter seen.</summary>
    public uint SignCount { get; init; }

    /// <summary>Whether UV was set at registration (uvInitialized).</summary>
    public bool UvInitialized { get; init; }

    /// <summary>BE at registration; fixed for the credential's life.</summary>
    public bool BackupEligible { get; init; }

    /// <summary>BS as last seen.</summary>
    public bool BackupState { get; init; }

    /// <summary>Transports reported at registration.</summary>
    public IReadOnlyList<string> Transports { get; init; } = [];

    /// <summary>The authenticator's AAGUID (self-asserted unless attestation is trusted).</summary>
    public Guid Aaguid { get; init; }

    /// <summary>The attestation format of the registration.</summary>
    public string AttestationFormat { get; init; } = "none";

    /// <summary>Whether the attestation chained to a trusted anchor.</summary>
    public bool AttestationTrusted { get; init; }
}
