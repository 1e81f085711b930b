using System.Security.Cryptography;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Security;

/// <summary>
/// App API keys: <c>pkk_{id}_{secret}</c> where id is 16 hex characters (the lookup key) and secret
/// is 32 random bytes base64url (256 bits). Only SHA-256 of the whole key is stored; verification
/// compares hashes in constant time.
/// </summary>
public sealed class ApiKeys(IPasskeyStore store, TimeProvider time)
{
    private const string Prefix = "pkk_";

    /// <summary>Creates a key for <paramref name="tenantId"/>; returns the record and the key (shown once).</summary>
    public async Task<(ApiKeyRecord Record, string Key)> CreateAsync(string tenantId, string name, CancellationToken ct)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var key = Prefix + id + "_" + Secrets.RandomId(32);
        var record = new ApiKeyRecord(tenantId, id, name, Secrets.Sha256(key), time.GetUtcNow(), null);
        await store.CreateApiKeyAsync(record, ct).ConfigureAwait(false);
        return (record, key);
    }

    /// <summary>True when <paramref name="key"/> is a live (not revoked) key of <paramref name="tenantId"/>.</summary>
    public async Task<bool> VerifyAsync(string tenantId, string? key, CancellationToken ct)
    {
        if (key is null || key.Length is < 25 or > 128 || !key.StartsWith(Prefix, StringComparison.Ordinal) || key[20] != '_')
        {
            return false;
        }
        var record = await store.GetApiKeyAsync(key[4..20], ct).ConfigureAwait(false);
        var hash = Secrets.Sha256(key);
        var matches = record is not null && CryptographicOperations.FixedTimeEquals(hash, record.Hash);
        return matches && record!.RevokedAt is null && record.TenantId == tenantId;
    }
}
