using OpenIddict.Abstractions;
using OpenIddict.Server;
using Passkeys.Server.Errors;
using Microsoft.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using OAuthErrors = OpenIddict.Abstractions.OpenIddictConstants.Errors;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Passkeys.Server.Oidc;

/// <summary>
/// What OpenIddict's degraded mode leaves to us: knowing the clients. Each handler checks one
/// request kind against the tenant's registered clients (<see cref="IOidcClientStore"/>); OpenIddict
/// itself checks the protocol (response type, PKCE verifier against the challenge, code and
/// refresh token integrity, redirect_uri at the token endpoint equal to the one authorized).
/// </summary>
public static class OidcRequestValidation
{
    /// <summary>Authorization request: known client, exact redirect URI, PKCE (S256) for public clients (<c>prompt=none</c> is refused later, by the endpoint, so that the error reaches the client).</summary>
    public sealed class Authorization(OidcClientService clients) : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
    {
        /// <summary>Custom handlers run after OpenIddict's built-in checks of the same event.</summary>
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
            .UseSingletonHandler<Authorization>()
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        /// <inheritdoc />
        public async ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            var tenant = OidcTenantResolver.TenantOf(context.Transaction);
            var client = await clients.FindAsync(tenant.Id, context.ClientId, default).ConfigureAwait(false);
            // RFC 6749 §4.1.2.1: an unknown client or a redirect URI that is not registered is never
            // redirected to; OpenIddict shows these errors itself, at the authorization endpoint.
            if (client is null)
            {
                context.Reject(OAuthErrors.InvalidClient, ServerError.OidcUnknownClient);
                return;
            }
            if (string.IsNullOrEmpty(context.RedirectUri) || !client.RedirectUris.Contains(context.RedirectUri, StringComparer.Ordinal))
            {
                context.Reject(OAuthErrors.InvalidRequest, ServerError.OidcRedirectUriNotRegistered);
                return;
            }
            if (!client.IsConfidential && string.IsNullOrEmpty(context.Request.CodeChallenge))
            {
                context.Reject(OAuthErrors.InvalidRequest, ServerError.OidcPkceRequired);
                return;
            }
        }
    }

    /// <summary>Token request: a known client that authenticates as its type requires.</summary>
    public sealed class Token(OidcClientService clients) : IOpenIddictServerHandler<ValidateTokenRequestContext>
    {
        /// <summary>First, before OpenIddict reads the code or refresh token: the client is authenticated before anything it presents is.</summary>
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<Token>()
            .SetOrder(int.MinValue + 50_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        /// <inheritdoc />
        public async ValueTask HandleAsync(ValidateTokenRequestContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            var tenant = OidcTenantResolver.TenantOf(context.Transaction);
            var client = await clients.FindAsync(tenant.Id, context.ClientId, default).ConfigureAwait(false);
            if (client is null)
            {
                context.Reject(OAuthErrors.InvalidClient, ServerError.OidcUnknownClient);
                return;
            }
            if (!OidcClientService.Authenticates(client, context.Request.ClientSecret))
            {
                context.Reject(OAuthErrors.InvalidClient, ServerError.OidcClientAuthenticationFailed);
            }
        }
    }

    /// <summary>Logout request: a post-logout redirect URI must be registered, exactly, for the client it names or the ID token hint was issued to.</summary>
    public sealed class EndSession(OidcClientService clients) : IOpenIddictServerHandler<ValidateEndSessionRequestContext>
    {
        /// <summary>Custom handlers run after OpenIddict's built-in checks of the same event (the ID token hint is validated by then).</summary>
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateEndSessionRequestContext>()
            .UseSingletonHandler<EndSession>()
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        /// <inheritdoc />
        public async ValueTask HandleAsync(ValidateEndSessionRequestContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            var tenant = OidcTenantResolver.TenantOf(context.Transaction);
            var hintClient = context.IdentityTokenHintPrincipal?.GetAudiences().FirstOrDefault();
            if (context.Request.ClientId is { Length: > 0 } named && hintClient is not null && named != hintClient)
            {
                context.Reject(OAuthErrors.InvalidRequest, ServerError.OidcClientMismatch);
                return;
            }
            if (string.IsNullOrEmpty(context.PostLogoutRedirectUri))
            {
                return;
            }
            var client = await clients.FindAsync(tenant.Id, context.Request.ClientId ?? hintClient, default).ConfigureAwait(false);
            if (client is null)
            {
                context.Reject(OAuthErrors.InvalidRequest, ServerError.OidcUnknownClient);
                return;
            }
            if (!client.PostLogoutRedirectUris.Contains(context.PostLogoutRedirectUri, StringComparer.Ordinal))
            {
                context.Reject(OAuthErrors.InvalidRequest, ServerError.OidcPostLogoutRedirectUriNotRegistered);
            }
        }
    }
}
