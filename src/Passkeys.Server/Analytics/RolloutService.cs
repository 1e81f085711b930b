using System.Buffers.Binary;
using System.Security.Cryptography;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Analytics;

/// <summary>The app-facing answer: offer this user a passkey now, how, why, and whether passkeys are the default sign-in.</summary>
/// <param name="Reason">
/// offered | no-rollout (the tenant has no rollout settings) | has-passkey | not-in-rollout (outside
/// the offer percentage) | no-recent-other-sign-in (offerAfter is other-method-sign-in and the app
/// reported none for this user in the last <see cref="RolloutService.RecentSignIn"/>).
/// </param>
public sealed record PasskeyOffer(bool Offer, string Prompt, string Reason, bool PasskeyDefault);

/// <summary>
/// Applies a tenant's rollout settings (docs/analytics.md, "Rollout"): who is offered passkey
/// creation, and when passkeys become the default sign-in (recorded once, audited).
/// </summary>
public sealed class RolloutService(IPasskeyStore store, TenantKeys keys, AnalyticsService analytics, AuditLog audit, TimeProvider time)
{
    /// <summary>The key of the per-user rollout buckets.</summary>
    public const string BucketKey = "passkeys/rollout-buckets/v1";

    /// <summary>How recent an app-reported sign-in must be for offerAfter = other-method-sign-in.</summary>
    public static readonly TimeSpan RecentSignIn = TimeSpan.FromMinutes(15);

    /// <summary>The window adoption is measured over for the default-sign-in threshold.</summary>
    public static readonly TimeSpan AdoptionWindow = TimeSpan.FromDays(30);

    /// <summary>The answer for one user; an offer is recorded (it counts towards upgrade-prompt conversion).</summary>
    public async Task<PasskeyOffer> OfferAsync(TenantRecord tenant, string userId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var rollout = tenant.Rollout;
        if (rollout is null)
        {
            return new PasskeyOffer(false, RolloutSettings.PromptModal, "no-rollout", false);
        }
        var passkeyDefault = await PasskeyDefaultAsync(tenant.Id, rollout, ct).ConfigureAwait(false);
        var user = await store.GetUserAsync(tenant.Id, userId, ct).ConfigureAwait(false);
        if (user is not null && (await store.ListCredentialsAsync(tenant.Id, user.Id, ct).ConfigureAwait(false)).Any(c => c.Status == CredentialStatus.Active))
        {
            return new PasskeyOffer(false, rollout.Prompt, "has-passkey", passkeyDefault);
        }
        if (await BucketAsync(tenant.Id, userId, ct).ConfigureAwait(false) >= rollout.OfferPercentage)
        {
            return new PasskeyOffer(false, rollout.Prompt, "not-in-rollout", passkeyDefault);
        }
        var now = time.GetUtcNow();
        if (rollout.OfferAfter == RolloutSettings.AfterOtherMethodSignIn
            && (await store.GetLastAppSignInAsync(tenant.Id, userId, ct).ConfigureAwait(false) is not { } last || now - last > RecentSignIn))
        {
            return new PasskeyOffer(false, rollout.Prompt, "no-recent-other-sign-in", passkeyDefault);
        }
        await store.RecordPasskeyOfferAsync(tenant.Id, userId, now, ct).ConfigureAwait(false);
        return new PasskeyOffer(true, rollout.Prompt, "offered", passkeyDefault);
    }

    /// <summary>
    /// The rollout's state for the console, read only: it never records a flip (only the app's
    /// passkey-offer does, so the audit event's time is when the app first saw the default).
    /// </summary>
    public async Task<RolloutStatus> StatusAsync(TenantRecord tenant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var flippedAt = await store.GetDefaultFlipAsync(tenant.Id, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var share = await analytics.AdoptionShareAsync(tenant.Id, now - AdoptionWindow, now + TimeSpan.FromMilliseconds(1), ct).ConfigureAwait(false);
        var threshold = tenant.Rollout?.DefaultSignInAt;
        return new RolloutStatus(tenant.Rollout, flippedAt is not null && threshold is not null, flippedAt, share,
            threshold is { } t && Reaches(share, t));
    }

    // Whole numbers: with / active >= threshold / 100.
    private static bool Reaches(AdoptionShare share, int threshold) =>
        share.ActiveUsers > 0 && share.ActiveUsersWithPasskey * 100 >= threshold * share.ActiveUsers;

    /// <summary>
    /// The user's rollout bucket, 0–99: HMAC-SHA256 of the user id under a key derived from the
    /// tenant's secret. The same on every node and every start; a user in the first 10% stays in
    /// when the offer widens to 20%; not guessable from the user id without the tenant's secret.
    /// </summary>
    public async Task<int> BucketAsync(string tenantId, string userId, CancellationToken ct)
    {
        var key = await keys.GetAsync(tenantId, BucketKey, ct).ConfigureAwait(false);
        var mac = HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes(userId));
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(mac) % 100);
    }

    /// <summary>
    /// Whether passkeys are the default sign-in: once adoption over the last
    /// <see cref="AdoptionWindow"/> reaches <see cref="RolloutSettings.DefaultSignInAt"/> percent the
    /// flip is recorded (once, whichever node sees it first) and audited; it stays while
    /// defaultSignInAt is set.
    /// </summary>
    private async Task<bool> PasskeyDefaultAsync(string tenantId, RolloutSettings rollout, CancellationToken ct)
    {
        if (rollout.DefaultSignInAt is not { } threshold)
        {
            return false;
        }
        if (await store.GetDefaultFlipAsync(tenantId, ct).ConfigureAwait(false) is not null)
        {
            return true;
        }
        var now = time.GetUtcNow();
        // Up to and including now, as the analytics API's default window.
        var share = await analytics.AdoptionShareAsync(tenantId, now - AdoptionWindow, now + TimeSpan.FromMilliseconds(1), ct).ConfigureAwait(false);
        if (!Reaches(share, threshold))
        {
            return false;
        }
        // The server flips it (actor system); details say the adoption that did it. The flip and its
        // event are one commit, and only the node whose flip is recorded writes the event.
        await store.RecordDefaultFlipAsync(tenantId, now, share.Rate ?? 0, audit.Change(tenantId, AuditTypes.RolloutDefaultFlipped, AuditActor.System,
            AuditTarget.Tenant(tenantId), details: new Dictionary<string, string?>
            {
                ["adoption"] = $"{share.ActiveUsersWithPasskey}/{share.ActiveUsers}",
                ["defaultSignInAt"] = threshold.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }), ct).ConfigureAwait(false);
        return true;
    }
}
