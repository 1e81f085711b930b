using System.Globalization;
using System.Security.Cryptography;
using OpenIddict.Abstractions;
using Passkeys.Server.Errors;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Passkeys.Server.Oidc;

/// <summary>
/// How the hosted sign-in page proves to the authorization endpoint that the user just signed in.
/// The page runs a normal ceremony (sign-in, sign-up or recovery), which makes a session and hands
/// the page its refresh token; the page then posts that token in the authorization form
/// (<see cref="SessionParameter"/>, never in a URL). The server accepts it when the session is
/// active, was made at most <see cref="MaxAge"/> ago, and is young enough for the request:
/// <c>max_age</c> seconds, and for <c>prompt=login</c> no older than the page itself, whose
/// rendering time the page carries back signed (<see cref="StartedParameter"/>).
/// </summary>
/// <remarks>
/// Nothing ambient is involved (no cookie), so a cross-site form cannot complete an authorization
/// for the victim: it would need the victim's session secret. A form carrying the attacker's own
/// secret signs the victim in as the attacker at most, which the client's <c>state</c> and PKCE
/// checks refuse (the code was not requested by the victim's client session).
/// </remarks>
public sealed class OidcSignInProof(IPasskeyStore store, TenantKeys keys, TimeProvider time)
{
    /// <summary>Form field: the refresh token of the session the page's ceremony made.</summary>
    public const string SessionParameter = "passkeys_session";
    /// <summary>Form field: when the page was shown, signed.</summary>
    public const string StartedParameter = "passkeys_started";
    /// <summary>A session older than this never completes an authorization: the page always runs a fresh ceremony.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);
    private const string TicketPurpose = "passkeys/oidc-page-ticket/v1";

    /// <summary>A signed ticket of the current time, for the page to send back (<c>{unix ms}.{base64url HMAC}</c>).</summary>
    public async Task<string> NewTicketAsync(string tenantId, CancellationToken ct)
    {
        var ms = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return ms + "." + Secrets.Base64Url(await MacAsync(tenantId, ms, ct).ConfigureAwait(false));
    }

    /// <summary>The session behind the proof, or throws <see cref="ServerError.OidcSignInRequired"/>.</summary>
    public async Task<(SessionRecord Session, string Secret)> VerifyAsync(string tenantId, OpenIddictRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secret = (string?)request[SessionParameter];
        if (string.IsNullOrEmpty(secret) || secret.Length > 128)
        {
            throw new ServerException(ServerError.OidcSignInRequired);
        }
        var session = await store.FindSessionByRefreshTokenAsync(tenantId, Secrets.Sha256(secret), ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (session is null || !session.IsActiveAt(now) || now - session.CreatedAt > MaxAge)
        {
            throw new ServerException(ServerError.OidcSignInRequired);
        }
        if (request.MaxAge is { } maxAge && (now - session.CreatedAt).TotalSeconds > maxAge)
        {
            throw new ServerException(ServerError.OidcSignInRequired, "The application asked for a more recent sign-in (max_age). Please sign in again.");
        }
        if (request.HasPromptValue(PromptValues.Login))
        {
            var started = await StartedAsync(tenantId, (string?)request[StartedParameter], ct).ConfigureAwait(false);
            if (started is null || session.CreatedAt < started.Value)
            {
                throw new ServerException(ServerError.OidcSignInRequired, "The application asked for a new sign-in (prompt=login). Please sign in again.");
            }
        }
        return (session, secret);
    }

    // The page's start time when its ticket is genuine, else null.
    private async Task<DateTimeOffset?> StartedAsync(string tenantId, string? ticket, CancellationToken ct)
    {
        var dot = ticket?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (ticket is null || dot <= 0 || ticket.Length > 100)
        {
            return null;
        }
        var ms = ticket[..dot];
        var mac = Secrets.FromBase64Url(ticket[(dot + 1)..]);
        if (mac is null || !long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var unixMs))
        {
            return null;
        }
        var expected = await MacAsync(tenantId, ms, ct).ConfigureAwait(false);
        if (!CryptographicOperations.FixedTimeEquals(mac, expected))
        {
            return null;
        }
        return DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
    }

    private async Task<byte[]> MacAsync(string tenantId, string ms, CancellationToken ct) =>
        HMACSHA256.HashData(await keys.GetAsync(tenantId, TicketPurpose, ct).ConfigureAwait(false), System.Text.Encoding.UTF8.GetBytes(ms));
}
