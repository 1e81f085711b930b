using System.Security.Cryptography;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Security;

/// <summary>
/// Keys derived (HKDF-SHA256) from each tenant's persisted secret (<see cref="IPasskeyStore.GetTenantSecretAsync"/>),
/// one per purpose, so every node and every restart derives the same keys and one purpose's key
/// says nothing about another's.
/// </summary>
/// <remarks>
/// Not cached: a tenant deleted and created again under the same id gets a new secret, and a node
/// holding the old one would make recovery codes the other nodes cannot check. The read is one
/// primary-key lookup.
/// </remarks>
public sealed class TenantKeys(IPasskeyStore store)
{
    /// <summary>The key of the fake credentials offered for unknown usernames.</summary>
    public const string FakeCredentials = "passkeys/fake-credentials/v1";
    /// <summary>The HMAC key of recovery codes.</summary>
    public const string RecoveryCodes = "passkeys/recovery-codes/v1";

    /// <summary>The 32-byte key of <paramref name="purpose"/> for <paramref name="tenantId"/>.</summary>
    public async Task<byte[]> GetAsync(string tenantId, string purpose, CancellationToken ct)
    {
        var secret = await store.GetTenantSecretAsync(tenantId, ct).ConfigureAwait(false);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: System.Text.Encoding.UTF8.GetBytes(purpose));
    }
}
