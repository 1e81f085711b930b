using Passkeys.Server.Errors;

namespace Passkeys.Server.Oidc;

/// <summary>Plain-language messages for the OIDC error codes (1130–1149), in problem details and OAuth <c>error_description</c>.</summary>
public static class OidcMessages
{
    /// <summary>The message for <paramref name="error"/>.</summary>
    public static string Of(ServerError error) => error switch
    {
        ServerError.OidcClientNotFound => "There is no OpenID Connect client with that id.",
        ServerError.OidcClientIdInvalid => "clientId must be 1 to 64 characters: letters, digits, '.', '_' or '-'.",
        ServerError.OidcClientTypeInvalid => "clientType must be 'public' or 'confidential', and cannot change once the client exists.",
        ServerError.OidcRedirectUriInvalid =>
            "redirectUris must hold 1 to 20 different absolute https URIs (http only for localhost and loopback addresses), without fragment or user info, each at most 2048 characters.",
        ServerError.OidcPostLogoutRedirectUriInvalid =>
            "postLogoutRedirectUris must hold at most 20 different absolute https URIs (http only for localhost and loopback addresses), without fragment or user info, each at most 2048 characters.",
        ServerError.OidcClientExists => "An OpenID Connect client with that id already exists.",
        ServerError.PasskeyEndpointsInvalid => "Each passkey endpoint must be an absolute https URL (http only for localhost and loopback addresses).",
        ServerError.OidcSignInRequired => "Please sign in with your passkey again to continue.",
        ServerError.OidcUnknownClient => "The application that sent you here is not registered with this sign-in service.",
        ServerError.OidcRedirectUriNotRegistered => "The redirect_uri is not registered for this client (redirect URIs are compared exactly).",
        ServerError.OidcPkceRequired => "This client must use PKCE: send code_challenge with code_challenge_method=S256.",
        ServerError.OidcClientAuthenticationFailed => "The client could not be authenticated: a confidential client must send its secret, a public client none.",
        ServerError.OidcPostLogoutRedirectUriNotRegistered => "The post_logout_redirect_uri is not registered for this client (compared exactly).",
        ServerError.OidcSessionEnded => "The sign-in behind this grant has ended (signed out, revoked, expired, or the grant was used twice).",
        ServerError.OidcLoginRequired => "A passkey sign-in is required: this provider keeps no browser session, so prompt=none cannot succeed.",
        ServerError.OidcClientMismatch => "The grant or token was issued to another client.",
        _ => "Something went wrong on our side. Please try again.",
    };
}
