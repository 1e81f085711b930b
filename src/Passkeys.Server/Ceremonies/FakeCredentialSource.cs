using System.Collections.Concurrent;
using System.Security.Cryptography;
using Passkeys.Ceremonies;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Ceremonies;

/// <summary>
/// Deterministic fake allowCredentials for unknown usernames (so responses do not reveal which
/// users exist). The per-tenant secret is derived from the tenant's first signing key material
/// via HMAC, so it is stable across restarts and nodes without another stored secret.
/// </summary>
public sealed class FakeCredentialSource(IPasskeyStore store)
{
    private readonly ConcurrentDictionary<string, FakeCredentials> _byTenant = new(StringComparer.Ordinal);
    private readonly byte[] _processSecret = RandomNumberGenerator.GetBytes(32);

    /// <summary>Fake descriptors for <paramref name="username"/> in <paramref name="tenantId"/>.</summary>
    public IReadOnlyList<CredentialDescriptor> For(string tenantId, string username)
    {
        var fakes = _byTenant.GetOrAdd(tenantId, id =>
        {
            // Stable per tenant across nodes: derived from the tenant's oldest signing key when present.
            var keys = store.ListSigningKeysAsync(id).GetAwaiter().GetResult();
            var seed = keys.Count > 0 ? keys[^1].PrivateKey : _processSecret;
            return new FakeCredentials(HMACSHA256.HashData(seed, System.Text.Encoding.UTF8.GetBytes("fake-credentials:" + id)));
        });
        return fakes.For(username);
    }
}
