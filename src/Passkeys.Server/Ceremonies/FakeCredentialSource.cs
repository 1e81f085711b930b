using System.Collections.Concurrent;
using System.Security.Cryptography;
using Passkeys.Ceremonies;
using Passkeys.Server.Security;
using Passkeys.Server.Security.Usernames;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Ceremonies;

/// <summary>
/// Fake allowCredentials for unknown usernames, so that "sign in as alice" answers the same way
/// whether or not alice has an account: deterministic (HMAC of the name's key under the tenant's
/// persisted secret, so the same on every node and after every restart) and shaped like the
/// tenant's real credentials (their most common transports and id length), so a browser treats a
/// fake like a real user's passkey instead of asking for a USB or NFC security key.
/// </summary>
public sealed class FakeCredentialSource(TenantKeys keys, IPasskeyStore store, TimeProvider time)
{
    // What synced passkeys (iCloud Keychain, Google Password Manager) look like, for a tenant
    // without credentials yet: the browser then offers the platform and the phone (hybrid).
    private static readonly CredentialShape Default = new(["hybrid", "internal"], 16);
    // How long a tenant's shape is kept before it is read again.
    private static readonly TimeSpan ShapeLifetime = TimeSpan.FromMinutes(10);
    private const int ShapeSample = 200;

    private readonly ConcurrentDictionary<string, (CredentialShape Shape, DateTimeOffset ReadAt)> _shapes = new(StringComparer.Ordinal);

    /// <summary>One or two fake descriptors for <paramref name="username"/> in <paramref name="tenantId"/>.</summary>
    public async Task<IReadOnlyList<CredentialDescriptor>> ForAsync(string tenantId, string username, CancellationToken ct)
    {
        var key = await keys.GetAsync(tenantId, TenantKeys.FakeCredentials, ct).ConfigureAwait(false);
        var shape = await ShapeAsync(tenantId, ct).ConfigureAwait(false);
        // Keyed by the name's comparison key: ALICE and alice get the same fakes, as they would the same account.
        var seed = HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes(UsernameRules.Key(username)));
        // Most accounts have one passkey, some two (a synced one and a security key or a second platform).
        var count = (seed[0] & 3) == 0 ? 2 : 1;
        var descriptors = new CredentialDescriptor[count];
        for (var i = 0; i < count; i++)
        {
            var id = HKDF.Expand(HashAlgorithmName.SHA256, seed, shape.IdLength, [(byte)i]);
            descriptors[i] = new CredentialDescriptor(id, shape.Transports);
        }
        return descriptors;
    }

    // The most common transports and id length among the tenant's most recent credentials.
    private async Task<CredentialShape> ShapeAsync(string tenantId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_shapes.TryGetValue(tenantId, out var cached) && now - cached.ReadAt < ShapeLifetime)
        {
            return cached.Shape;
        }
        var recent = await store.ListRecentCredentialShapesAsync(tenantId, ShapeSample, ct).ConfigureAwait(false);
        var shape = recent.Count == 0
            ? Default
            : new CredentialShape(
                recent.GroupBy(s => string.Join(',', s.Transports)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().First().Transports,
                recent.GroupBy(s => s.IdLength).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key);
        _shapes[tenantId] = (shape, now);
        return shape;
    }
}
