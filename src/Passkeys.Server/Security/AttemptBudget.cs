using Passkeys.Server.Errors;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Security;

/// <summary>
/// A fixed-window budget of attempts per subject, counted in the store (<see cref="IPasskeyStore.CountAttemptAsync"/>),
/// so that it holds across every node sharing the database: N attempts per window, then refused
/// with a stable code and Retry-After until the window ends.
/// </summary>
public sealed class AttemptBudget(IPasskeyStore store, TimeProvider time)
{
    /// <summary>
    /// Takes one attempt of <paramref name="subject"/>'s budget; throws <paramref name="exceeded"/>
    /// (with <see cref="ServerException.RetryAfter"/>) when the window has already had <paramref name="limit"/>.
    /// The subject is hashed before it is stored (it may hold a username).
    /// </summary>
    public async Task TakeAsync(string tenantId, string purpose, string subject, int limit, TimeSpan window, ServerError exceeded, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var windowMs = (long)window.TotalMilliseconds;
        var start = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds() / windowMs * windowMs);
        var end = start + window;
        var key = purpose + ":" + Secrets.Base64Url(Secrets.Sha256(subject));
        // Counted first, checked after: concurrent attempts on any node each get their own count,
        // so no more than the limit ever pass.
        var attempts = await store.CountAttemptAsync(tenantId, key, start, end, ct).ConfigureAwait(false);
        if (attempts > limit)
        {
            throw new ServerException(exceeded) { RetryAfter = end - now };
        }
    }
}
