using System.Text.Json.Serialization;
using Passkeys.Authenticator.Crypto;
using Passkeys.Encoding;

namespace Passkeys.Authenticator;

/// <summary>
/// One credential held by the software authenticator, in the form it is saved to JSON.
/// Binary fields are base64url. The private key is in the clear: this is a test instrument.
/// </summary>
public sealed class StoredCredential
{
    private readonly Lock _lock = new();
    private CredentialKey? _key;

    /// <summary>The credential id (base64url).</summary>
    public required string CredentialId { get; init; }

    /// <summary>The RP ID it is scoped to.</summary>
    public required string RpId { get; init; }

    /// <summary>The user handle (base64url).</summary>
    public required string UserId { get; init; }

    /// <summary>The user's account name.</summary>
    public string? UserName { get; init; }

    /// <summary>The user's display name.</summary>
    public string? UserDisplayName { get; init; }

    /// <summary>The COSE algorithm.</summary>
    public required int Algorithm { get; init; }

    /// <summary>The private key (base64url): EC scalar d, RSA PKCS#8, or the Ed25519 secret.</summary>
    public required string PrivateKey { get; init; }

    /// <summary>The last signature counter value reported.</summary>
    public uint SignCount { get; set; }

    /// <summary>Whether this is a discoverable (resident) credential.</summary>
    public bool Discoverable { get; init; }

    /// <summary>The credProtect level (1 userVerificationOptional, 2 …WithCredentialIDList, 3 userVerificationRequired).</summary>
    public int CredProtect { get; init; } = 1;

    /// <summary>Whether the credential is backup eligible (BE flag).</summary>
    public bool BackupEligible { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    internal byte[] CredentialIdBytes => Base64UrlStrict.Decode(CredentialId, "credentialId");

    internal byte[] UserIdBytes => Base64UrlStrict.Decode(UserId, "userId");

    [JsonIgnore]
    internal Lock SyncRoot => _lock;

    internal CredentialKey GetKey(bool deterministicSignatures)
    {
        lock (_lock)
        {
            return _key ??= CredentialKey.Import(Algorithm, Base64UrlStrict.Decode(PrivateKey, "privateKey"), deterministicSignatures);
        }
    }

    internal void SetKey(CredentialKey key) => _key = key;
}
