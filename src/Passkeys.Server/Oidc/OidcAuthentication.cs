using System.Collections.Immutable;
using System.Security.Claims;
using OpenIddict.Abstractions;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Passkeys.Server.Oidc;

/// <summary>
/// What the provider says about a sign-in, built from the session a passkey ceremony made: who
/// (<c>sub</c>), when (<c>auth_time</c>), how (<c>acr</c>, <c>amr</c>) and which session (<c>sid</c>).
/// </summary>
/// <remarks>
/// <para><c>amr</c> (RFC 8176): <c>hwk</c> for a device-bound passkey (backup-ineligible: its key
/// cannot leave the authenticator), <c>swk</c> for a synced one (backup-eligible: the provider can
/// copy its key to the user's other devices, so it is not bound to hardware), and <c>user</c> when the
/// authenticator verified the user (PIN, biometric). Every sign-in is a passkey, so there is no <c>pwd</c>.</para>
/// <para><c>acr</c>: <see cref="AcrPasskeyUv"/> when the user was verified, else <see cref="AcrPasskey"/>
/// (user presence only); both say "phishing-resistant passkey". Clients that need verification check
/// <c>acr</c> (or the tenant sets <c>userVerification: required</c>).</para>
/// </remarks>
public static class OidcAuthentication
{
    /// <summary>A passkey with user verification.</summary>
    public const string AcrPasskeyUv = "urn:passkeys:acr:passkey:uv";
    /// <summary>A passkey with user presence only.</summary>
    public const string AcrPasskey = "urn:passkeys:acr:passkey";

    /// <summary>
    /// The private claim holding the session's current refresh token inside codes and refresh
    /// tokens (which are encrypted; it never goes into an ID or access token). Redeeming a code or
    /// refresh token rotates it, so the session's reuse detection covers them: a code or refresh
    /// token used twice revokes the session.
    /// </summary>
    public const string SessionSecretClaim = "passkeys_session_secret";

    /// <summary>The scopes the provider grants (when asked).</summary>
    public static readonly ImmutableArray<string> SupportedScopes = [Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess];

    /// <summary>The <c>amr</c> values for a sign-in with <paramref name="credential"/>.</summary>
    public static string[] AmrOf(CredentialRecordRow? credential, bool userVerified)
    {
        var key = credential?.BackupEligible == false ? "hwk" : "swk";
        return userVerified ? [key, "user"] : [key];
    }

    /// <summary>
    /// The principal OpenIddict turns into a code, then tokens. Claims go to the ID token and the
    /// access token except the session secret (neither) and the profile claims (ID token only, with <c>profile</c>).
    /// </summary>
    public static ClaimsPrincipal Principal(string clientId, SessionRecord session, UserRecord user, CredentialRecordRow? credential,
        IEnumerable<string> requestedScopes, string sessionSecret)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(user);
        var identity = new ClaimsIdentity("passkey", Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id);
        identity.SetClaim(Claims.AuthenticationTime, session.CreatedAt.ToUnixTimeSeconds());
        identity.SetClaim(Claims.AuthenticationContextReference, session.UserVerified ? AcrPasskeyUv : AcrPasskey);
        // A JSON array even with one member (OIDC Core §2: amr is an array); OpenIddict and the JWT
        // handler keep a JSON_ARRAY claim as an array.
        identity.AddClaim(new Claim(Claims.AuthenticationMethodReference,
            System.Text.Json.JsonSerializer.Serialize(AmrOf(credential, session.UserVerified)), Microsoft.IdentityModel.JsonWebTokens.JsonClaimValueTypes.JsonArray));
        identity.SetClaim("sid", session.Id);
        identity.SetClaim(SessionSecretClaim, sessionSecret);
        var scopes = requestedScopes.Where(SupportedScopes.Contains).Distinct(StringComparer.Ordinal).ToImmutableArray();
        if (scopes.Contains(Scopes.Profile))
        {
            identity.SetClaim(Claims.PreferredUsername, user.Name);
            identity.SetClaim(Claims.Name, user.DisplayName);
        }
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(scopes);
        principal.SetAudiences(clientId);
        principal.SetDestinations(claim => claim.Type switch
        {
            SessionSecretClaim => [],
            Claims.PreferredUsername or Claims.Name => [Destinations.IdentityToken],
            _ => [Destinations.IdentityToken, Destinations.AccessToken],
        });
        return principal;
    }
}
