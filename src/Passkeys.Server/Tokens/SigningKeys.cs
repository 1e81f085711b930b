using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Passkeys.Server.Configuration;
using Passkeys.Server.Errors;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Tokens;

/// <summary>
/// Per-tenant ES256 signing keys: created on first use, rotated when older than the rotation
/// interval (or on demand), retired keys published until the overlap window has passed, then deleted.
/// Private keys reach the store only encrypted, through <see cref="SigningKeyProtector"/>.
/// </summary>
/// <remarks>
/// A tenant's key rows are read at most once per <see cref="PasskeysServerOptions.CacheLifetime"/>
/// and dropped at once on a change notice (<see cref="IPasskeyStore.Changes"/>: this node's
/// rotations, and on PostgreSQL every node's); a token signed with a key this node has not seen
/// yet makes it read them again (<see cref="ForgetIfUnseen"/>). Keys are decrypted once, when first
/// parsed, and kept in memory only in parsed form.
/// </remarks>
public sealed partial class SigningKeys(IPasskeyStore store, SigningKeyProtector protector, Observability.AuditLog audit, TimeProvider time,
    IOptions<PasskeysServerOptions> options, ILogger<SigningKeys> logger)
{
    private readonly ConcurrentDictionary<(string Tenant, string Kid), ECDsaSecurityKey> _parsed = new();
    private readonly TokenOptions _options = options.Value.Tokens;
    private readonly ReadCache<IReadOnlyList<SigningKeyRecord>> _records = Subscribe(store, new(options.Value.CacheLifetime));
    private readonly ConcurrentDictionary<string, long> _forgotten = new(StringComparer.Ordinal);

    /// <summary>At most one re-read per tenant per this interval for tokens naming an unknown key (anyone can send such tokens).</summary>
    private const long UnseenKeyRereadMs = 1000;

    private static ReadCache<IReadOnlyList<SigningKeyRecord>> Subscribe(IPasskeyStore store, ReadCache<IReadOnlyList<SigningKeyRecord>> cache)
    {
        store.Changes.Changed += change =>
        {
            switch (change.Kind)
            {
                case StoreChangeKind.SigningKeys or StoreChangeKind.Tenant:
                    cache.Invalidate(change.TenantId!);
                    break;
                case StoreChangeKind.Everything:
                    cache.Clear();
                    break;
            }
        };
        return cache;
    }

    private async Task<IReadOnlyList<SigningKeyRecord>> RecordsAsync(string tenantId, CancellationToken ct) =>
        await _records.GetAsync(tenantId, async (id, c) => await store.ListSigningKeysAsync(id, c).ConfigureAwait(false), ct).ConfigureAwait(false) ?? [];

    /// <summary>
    /// Drops the tenant's cached keys so the next use reads them again, unless that was done less
    /// than a second ago; true when dropped. For a token whose key id this node does not know: the
    /// key may have been created by another node since the keys were read.
    /// </summary>
    public bool ForgetIfUnseen(string tenantId)
    {
        var now = Environment.TickCount64;
        var last = _forgotten.GetOrAdd(tenantId, now - UnseenKeyRereadMs);
        if (now - last < UnseenKeyRereadMs || !_forgotten.TryUpdate(tenantId, now, last))
        {
            return false;
        }
        _records.Invalidate(tenantId);
        return true;
    }

    /// <summary>The key to sign with now (creating or rotating as needed).</summary>
    public async Task<ECDsaSecurityKey> GetActiveAsync(string tenantId, CancellationToken ct)
    {
        var keys = await RecordsAsync(tenantId, ct).ConfigureAwait(false);
        var active = keys.FirstOrDefault(k => k.RetiredAt is null);
        if (active is null || time.GetUtcNow() - active.CreatedAt > _options.KeyRotationInterval)
        {
            active = await RotateAsync(tenantId, Observability.AuditActor.System, null, ct).ConfigureAwait(false);
        }
        return Parse(active);
    }

    /// <summary>Keys whose tokens may still be valid: the active one and those retired within the overlap.</summary>
    public async Task<IReadOnlyList<ECDsaSecurityKey>> GetPublishedAsync(string tenantId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var keys = await RecordsAsync(tenantId, ct).ConfigureAwait(false);
        return keys.Where(k => k.RetiredAt is null || now - k.RetiredAt < _options.KeyOverlap).Select(Parse).ToList();
    }

    /// <summary>All key records (admin view).</summary>
    public Task<IReadOnlyList<SigningKeyRecord>> ListAsync(string tenantId, CancellationToken ct) => store.ListSigningKeysAsync(tenantId, ct);

    /// <summary>
    /// Creates a new active key, retiring the current one, with its <c>signing_key.rotated</c> event
    /// in the same commit (<paramref name="actor"/>: the admin or operator who asked, or <c>system</c>
    /// for the first key and the scheduled rotation); deletes keys past the overlap.
    /// </summary>
    public async Task<SigningKeyRecord> RotateAsync(string tenantId, Observability.AuditActor actor, Observability.ClientInfo? client, CancellationToken ct)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = time.GetUtcNow();
        var kid = Secrets.RandomId(12);
        var pkcs8 = ecdsa.ExportPkcs8PrivateKey();
        var record = new SigningKeyRecord(tenantId, kid, "ES256", protector.Protect(tenantId, kid, pkcs8), now, null);
        CryptographicOperations.ZeroMemory(pkcs8);
        await store.ChangeAsync(async step =>
        {
            await step.AddSigningKeyAsync(record, ct).ConfigureAwait(false);
            return true;
        }, audit.Change(tenantId, Observability.AuditTypes.SigningKeyRotated, actor, Observability.AuditTarget.SigningKey(kid), client: client), ct).ConfigureAwait(false);
        await store.DeleteRetiredSigningKeysAsync(tenantId, now - _options.KeyOverlap, ct).ConfigureAwait(false);
        return record;
    }

    private ECDsaSecurityKey Parse(SigningKeyRecord record) => _parsed.GetOrAdd((record.TenantId, record.KeyId), _ => Import(record));

    private ECDsaSecurityKey Import(SigningKeyRecord record)
    {
        byte[] pkcs8;
        try
        {
            pkcs8 = protector.Unprotect(record);
        }
        catch (SigningKeyUnreadableException e)
        {
            // A key another node wrote with a key ring or KEK this node does not have: every node
            // sharing the database must share them (docs/operations.md, "Security").
            LogUnreadable(logger, e);
            throw new ServerException(ServerError.SigningKeyUnreadable);
        }
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportPkcs8PrivateKey(pkcs8, out var _);
        }
        catch (CryptographicException e)
        {
            ecdsa.Dispose();
            LogUnreadable(logger, new SigningKeyUnreadableException(record, SigningKeyProtector.FormOf(record.PrivateKey), "the decrypted value is not a PKCS#8 key", e));
            throw new ServerException(ServerError.SigningKeyUnreadable);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
        return new ECDsaSecurityKey(ecdsa) { KeyId = record.KeyId };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A token signing key cannot be used; requests that need it get 503 (code 1040)")]
    private static partial void LogUnreadable(ILogger logger, Exception exception);

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
