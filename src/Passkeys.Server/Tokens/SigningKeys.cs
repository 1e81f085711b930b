using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Passkeys.Server.Configuration;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Tokens;

/// <summary>
/// Per-tenant ES256 signing keys: created on first use, rotated when older than the rotation
/// interval (or on demand), retired keys published until the overlap window has passed, then deleted.
/// </summary>
public sealed class SigningKeys(IPasskeyStore store, TimeProvider time, IOptions<PasskeysServerOptions> options)
{
    private readonly ConcurrentDictionary<(string Tenant, string Kid), ECDsaSecurityKey> _parsed = new();
    private readonly TokenOptions _options = options.Value.Tokens;

    /// <summary>The key to sign with now (creating or rotating as needed).</summary>
    public async Task<ECDsaSecurityKey> GetActiveAsync(string tenantId, CancellationToken ct)
    {
        var keys = await store.ListSigningKeysAsync(tenantId, ct).ConfigureAwait(false);
        var active = keys.FirstOrDefault(k => k.RetiredAt is null);
        if (active is null || time.GetUtcNow() - active.CreatedAt > _options.KeyRotationInterval)
        {
            active = await RotateAsync(tenantId, ct).ConfigureAwait(false);
        }
        return Parse(active);
    }

    /// <summary>Keys whose tokens may still be valid: the active one and those retired within the overlap.</summary>
    public async Task<IReadOnlyList<ECDsaSecurityKey>> GetPublishedAsync(string tenantId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var keys = await store.ListSigningKeysAsync(tenantId, ct).ConfigureAwait(false);
        return keys.Where(k => k.RetiredAt is null || now - k.RetiredAt < _options.KeyOverlap).Select(Parse).ToList();
    }

    /// <summary>All key records (admin view).</summary>
    public Task<IReadOnlyList<SigningKeyRecord>> ListAsync(string tenantId, CancellationToken ct) => store.ListSigningKeysAsync(tenantId, ct);

    /// <summary>Creates a new active key, retiring the current one; deletes keys past the overlap.</summary>
    public async Task<SigningKeyRecord> RotateAsync(string tenantId, CancellationToken ct)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = time.GetUtcNow();
        var record = new SigningKeyRecord(tenantId, Secrets.RandomId(12), "ES256", ecdsa.ExportPkcs8PrivateKey(), now, null);
        await store.AddSigningKeyAsync(record, ct).ConfigureAwait(false);
        await store.DeleteRetiredSigningKeysAsync(tenantId, now - _options.KeyOverlap, ct).ConfigureAwait(false);
        return record;
    }

    private ECDsaSecurityKey Parse(SigningKeyRecord record) => _parsed.GetOrAdd((record.TenantId, record.KeyId), _ => Import(record));

    private static ECDsaSecurityKey Import(SigningKeyRecord record)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(record.PrivateKey, out var _);
        return new ECDsaSecurityKey(ecdsa) { KeyId = record.KeyId };
    }

    /// <summary>The public JWK of a key.</summary>
    public static Jwk ToJwk(ECDsaSecurityKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var p = key.ECDsa.ExportParameters(includePrivateParameters: false);
        return new Jwk("EC", "P-256", Secrets.Base64Url(p.Q.X), Secrets.Base64Url(p.Q.Y), key.KeyId, "sig", "ES256");
    }
}

/// <summary>A public JSON Web Key (EC P-256).</summary>
public sealed record Jwk(string Kty, string Crv, string X, string Y, string Kid, string Use, string Alg);

/// <summary>A JSON Web Key Set.</summary>
public sealed record JwkSet(IReadOnlyList<Jwk> Keys);
