using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Passkeys.Server.Configuration;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Passkeys.Server.Oidc;

/// <summary>Registers the OpenID Connect provider: client store and service, and the OpenIddict server.</summary>
public static class OidcServices
{
    /// <summary>
    /// Adds the provider. OpenIddict runs in degraded mode (no Entity Framework, no token store):
    /// clients are our table (<see cref="OidcRequestValidation"/>), codes and refresh tokens are
    /// self-contained and encrypted per tenant (<see cref="OidcTenantCredentials"/>), and their
    /// one-time use is enforced by the session they carry (<see cref="OidcAuthentication.SessionSecretClaim"/>).
    /// </summary>
    public static IServiceCollection AddPasskeysOidc(this IServiceCollection services)
    {
        services.AddSingleton(sp => (IOidcClientStore)sp.GetRequiredService<Storage.IPasskeyStore>());
        services.AddSingleton(sp => (IPasskeyEndpointsStore)sp.GetRequiredService<Storage.IPasskeyStore>());
        services.AddSingleton<OidcClientService>();
        services.AddSingleton<OidcSignInProof>();
        services.AddOpenIddict().AddServer(options =>
        {
            options.EnableDegradedMode();
            // Endpoint paths are relative to each tenant's issuer (OidcTenantResolver sets it per request).
            options.SetConfigurationEndpointUris(OidcPaths.Configuration)
                .SetAuthorizationEndpointUris(OidcPaths.Authorization)
                .SetTokenEndpointUris(OidcPaths.Token)
                .SetUserInfoEndpointUris(OidcPaths.UserInfo)
                .SetEndSessionEndpointUris(OidcPaths.EndSession);
            options.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow();
            options.RegisterScopes([.. OidcAuthentication.SupportedScopes]);
            options.RegisterClaims(Claims.Subject, Claims.AuthenticationTime, Claims.AuthenticationContextReference, Claims.AuthenticationMethodReference,
                "sid", Claims.Nonce, Claims.Name, Claims.PreferredUsername, Claims.Issuer, Claims.Audience, Claims.ExpiresAt, Claims.IssuedAt);
            // Access tokens are signed JWTs (RFC 9068) any resource server verifies against the tenant's JWKS.
            options.DisableAccessTokenEncryption();
            // Placeholders OpenIddict requires at start; OidcTenantCredentials replaces them for every token (see there).
            options.AddEncryptionKey(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)));
            options.AddSigningKey(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)));
            options.AddEventHandler(OidcTenantResolver.Descriptor);
            options.AddEventHandler(OidcTenantCredentials.ForGeneration.Descriptor);
            options.AddEventHandler(OidcTenantCredentials.ForValidation.Descriptor);
            options.AddEventHandler(OidcRequestValidation.Authorization.Descriptor);
            options.AddEventHandler(OidcRequestValidation.Token.Descriptor);
            options.AddEventHandler(OidcRequestValidation.EndSession.Descriptor);
            options.AddEventHandler(OidcDiscovery.Descriptor);
            options.AddEventHandler(OidcFormPostResponse.Descriptor);
            options.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableTokenEndpointPassthrough()
                .EnableUserInfoEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough()
                // Whether http is acceptable is the deployment's rule (docs/operations.md): the issuer
                // comes from Passkeys:PublicBaseUrl, and http is only for localhost and loopback.
                .DisableTransportSecurityRequirement();
        });
        services.AddSingleton<IConfigureOptions<OpenIddict.Server.OpenIddictServerOptions>>(sp => new ConfigureOptions<OpenIddict.Server.OpenIddictServerOptions>(o =>
        {
            var tokens = sp.GetRequiredService<IOptions<PasskeysServerOptions>>().Value.Tokens;
            // PKCE only with S256 (RFC 9700 §2.1.1): "plain" protects nothing against a code thief who sees the request.
            o.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain);
            // ID and access tokens live as long as the tenant's other access tokens; a refresh token as long as a
            // session may (the session's own idle and absolute ends still apply at every use).
            o.AccessTokenLifetime = tokens.Lifetime;
            o.IdentityTokenLifetime = tokens.Lifetime;
            o.AuthorizationCodeLifetime = TimeSpan.FromMinutes(2);
            o.RefreshTokenLifetime = tokens.SessionLifetime;
            o.TimeProvider = sp.GetRequiredService<TimeProvider>();
        }));
        return services;
    }
}
