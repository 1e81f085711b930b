using System.Security.Cryptography;
using Passkeys.Server.Observability;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Security;

/// <summary>
/// App API keys: <c>pkk_{id}_{secret}</c> where id is 16 hex characters (the lookup key) and secret
/// is 32 random bytes base64url (256 bits). Only SHA-256 of the whole key is stored; verification
/// compares hashes in constant time.
/// </summary>
public sealed class ApiKeys(IPasskeyStore store, AuditLog audit, TimeProvider time)
{
    private const string Prefix = "pkk_";

    /// <summary>Creates a key for <paramref name="tenantId"/>, audited; returns the record and the key (shown once).</summary>
    public async Task<(ApiKeyRecord Record, string Key)> CreateAsync(string tenantId, string name, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var key = Prefix + id + "_" + Secrets.RandomId(32);
        var record = new ApiKeyRecord(tenantId, id, name, Secrets.Sha256(key), time.GetUtcNow(), null);
        await store.ChangeAsync(async step =>
        {
            await step.CreateApiKeyAsync(record, ct).ConfigureAwait(false);
            return true;
        }, audit.Change(tenantId, AuditTypes.ApiKeyCreated, actor, AuditTarget.ApiKey(id), client: client, details: new Dictionary<string, string?> { ["name"] = name }), ct)
            .ConfigureAwait(false);
        return (record, key);
    }

    /// <summary>The key's id when <paramref name="key"/> is a live (not revoked) key of <paramref name="tenantId"/>; else null.</summary>
    public async Task<string?> VerifyAsync(string tenantId, string? key, CancellationToken ct)
    {
        if (key is null || key.Length is < 25 or > 128 || !key.StartsWith(Prefix, StringComparison.Ordinal) || key[20] != '_')
        {
            return null;
        }
        var record = await store.GetApiKeyAsync(key[4..20], ct).ConfigureAwait(false);
        var hash = Secrets.Sha256(key);
        var matches = record is not null && CryptographicOperations.FixedTimeEquals(hash, record.Hash);
        return matches && record!.RevokedAt is null && record.TenantId == tenantId ? record.Id : null;
    }

    /// <summary>Revokes a key of the tenant, audited; false when it has no such live key (nothing written).</summary>
    public async Task<bool> RevokeAsync(string tenantId, string keyId, AuditActor actor, ClientInfo? client, CancellationToken ct) =>
        await store.ChangeAsync(step => step.RevokeApiKeyAsync(tenantId, keyId, time.GetUtcNow(), ct),
            audit.Change(tenantId, AuditTypes.ApiKeyRevoked, actor, AuditTarget.ApiKey(keyId), client: client), ct).ConfigureAwait(false);
}
