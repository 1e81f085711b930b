using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Passkeys.Server.Oidc;

/// <summary>
/// Completes the discovery document: the JWKS is the tenant's existing one (<c>{issuer}/jwks.json</c>,
/// the keys of all its tokens), and the provider's own values for ACR, claims and signing.
/// </summary>
public sealed class OidcDiscovery : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    /// <summary>After OpenIddict has filled in the standard members.</summary>
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
        .UseSingletonHandler<OidcDiscovery>()
        .SetOrder(int.MaxValue - 100_000)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    /// <inheritdoc />
    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var issuer = context.Issuer ?? context.BaseUri ?? throw new InvalidOperationException("No issuer for the discovery document.");
        context.JsonWebKeySetEndpoint = new Uri(issuer.AbsoluteUri.TrimEnd('/') + "/" + OidcPaths.Jwks, UriKind.Absolute);
        context.IdTokenSigningAlgorithms.Clear();
        context.IdTokenSigningAlgorithms.Add(Microsoft.IdentityModel.Tokens.SecurityAlgorithms.EcdsaSha256);
        context.Metadata["acr_values_supported"] = new OpenIddict.Abstractions.OpenIddictParameter([OidcAuthentication.AcrPasskeyUv, OidcAuthentication.AcrPasskey]);
        context.Metadata["claims_parameter_supported"] = false;
        context.Metadata["request_parameter_supported"] = false;
        context.Metadata["frontchannel_logout_supported"] = false;
        return default;
    }
}
