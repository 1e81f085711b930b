namespace Passkeys.Authenticator;

/// <summary>The relying party a credential is for (CTAP PublicKeyCredentialRpEntity).</summary>
/// <param name="Id">The RP ID, e.g. "example.com".</param>
/// <param name="Name">A human-palatable name.</param>
public sealed record RelyingPartyEntity(string Id, string? Name = null);

/// <summary>The user account a credential is for (CTAP PublicKeyCredentialUserEntity).</summary>
/// <param name="Id">The user handle, at most 64 bytes.</param>
/// <param name="Name">The account name.</param>
/// <param name="DisplayName">The display name.</param>
public sealed record UserEntity(byte[] Id, string? Name = null, string? DisplayName = null);

/// <summary>authenticatorMakeCredential parameters (CTAP 2.1 §6.1).</summary>
public sealed class MakeCredentialRequest
{
    /// <summary>SHA-256 of clientDataJSON.</summary>
    public required byte[] ClientDataHash { get; init; }
    /// <summary>The relying party.</summary>
    public required RelyingPartyEntity Rp { get; init; }
    /// <summary>The user.</summary>
    public required UserEntity User { get; init; }
    /// <summary>Acceptable COSE algorithms, most preferred first.</summary>
    public required IReadOnlyList<int> PubKeyCredParams { get; init; }
    /// <summary>Credential ids that must not be created again on this device.</summary>
    public IReadOnlyList<byte[]> ExcludeList { get; init; } = [];
    /// <summary>The "rk" option: create a discoverable credential.</summary>
    public bool ResidentKey { get; init; }
    /// <summary>The "uv" option: verify the user.</summary>
    public bool UserVerification { get; init; }
    /// <summary>
    /// The "up" option (CTAP 2.2): test for user presence. False for a conditional create
    /// (WebAuthn L3 §5.1.3, mediation "conditional"): the credential is made without a touch and
    /// the UP flag is clear. Default true.
    /// </summary>
    public bool UserPresence { get; init; } = true;
    /// <summary>The credProtect extension input (1, 2 or 3), or null when not requested.</summary>
    public int? CredProtect { get; init; }
}

/// <summary>authenticatorMakeCredential's result.</summary>
public sealed class MakeCredentialResponse
{
    /// <summary>The attestation statement format.</summary>
    public required string Fmt { get; init; }
    /// <summary>The authenticator data (also inside <see cref="AttestationObject"/>).</summary>
    public required byte[] AuthenticatorData { get; init; }
    /// <summary>The CBOR attestation object {fmt, attStmt, authData}.</summary>
    public required byte[] AttestationObject { get; init; }
    /// <summary>The credential id as reported in attestedCredentialData.</summary>
    public required byte[] CredentialId { get; init; }
    /// <summary>The credential's COSE algorithm.</summary>
    public required int Algorithm { get; init; }
    /// <summary>The credential public key as DER SubjectPublicKeyInfo.</summary>
    public required byte[] SubjectPublicKeyInfo { get; init; }
    /// <summary>Whether the credential is discoverable.</summary>
    public required bool Discoverable { get; init; }
}

/// <summary>authenticatorGetAssertion parameters (CTAP 2.1 §6.2).</summary>
public sealed class GetAssertionRequest
{
    /// <summary>The RP ID.</summary>
    public required string RpId { get; init; }
    /// <summary>SHA-256 of clientDataJSON.</summary>
    public required byte[] ClientDataHash { get; init; }
    /// <summary>Acceptable credential ids; empty means discoverable credentials.</summary>
    public IReadOnlyList<byte[]> AllowList { get; init; } = [];
    /// <summary>The "uv" option: verify the user.</summary>
    public bool UserVerification { get; init; }
    /// <summary>
    /// The "up" option (default true): false asks silently, without a touch, and the UP flag is then
    /// clear. Clients use it to probe whether the device holds a credential (appidExclude, §10.1.2).
    /// </summary>
    public bool UserPresence { get; init; } = true;
}

/// <summary>authenticatorGetAssertion's result.</summary>
public sealed class GetAssertionResponse
{
    /// <summary>The credential id reported.</summary>
    public required byte[] CredentialId { get; init; }
    /// <summary>The authenticator data.</summary>
    public required byte[] AuthenticatorData { get; init; }
    /// <summary>The signature over authenticatorData ‖ clientDataHash.</summary>
    public required byte[] Signature { get; init; }
    /// <summary>The user handle; present for discoverable credentials.</summary>
    public byte[]? UserHandle { get; init; }
    /// <summary>How many credentials matched (the authenticator picks the most recently created).</summary>
    public required int NumberOfCredentials { get; init; }
}

/// <summary>CTAP2 status codes the software authenticator returns (CTAP 2.1 §8.2).</summary>
public enum CtapStatus : byte
{
    /// <summary>CTAP2_ERR_CREDENTIAL_EXCLUDED.</summary>
    CredentialExcluded = 0x19,
    /// <summary>CTAP2_ERR_UNSUPPORTED_ALGORITHM.</summary>
    UnsupportedAlgorithm = 0x26,
    /// <summary>CTAP2_ERR_OPERATION_DENIED (user verification failed).</summary>
    OperationDenied = 0x27,
    /// <summary>CTAP2_ERR_UNSUPPORTED_OPTION.</summary>
    UnsupportedOption = 0x2B,
    /// <summary>CTAP2_ERR_NO_CREDENTIALS.</summary>
    NoCredentials = 0x2E,
    /// <summary>CTAP2_ERR_USER_ACTION_TIMEOUT (the user never touched the device).</summary>
    UserActionTimeout = 0x2F,
}

/// <summary>An authenticator operation ended with a CTAP2 error status.</summary>
public sealed class CtapException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CtapException(CtapStatus status, string message) : base(message) => Status = status;

    /// <summary>Creates the exception.</summary>
    public CtapException() : this(CtapStatus.OperationDenied, "operation denied") { }

    /// <summary>Creates the exception.</summary>
    public CtapException(string message) : this(CtapStatus.OperationDenied, message) { }

    /// <summary>Creates the exception.</summary>
    public CtapException(string message, Exception innerException) : base(message, innerException) => Status = CtapStatus.OperationDenied;

    /// <summary>The CTAP2 status.</summary>
    public CtapStatus Status { get; }
}
