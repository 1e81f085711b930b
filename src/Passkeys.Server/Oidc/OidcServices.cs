namespace Passkeys.Server.Oidc;

/// <summary>Registers the OpenID Connect provider's services.</summary>
public static class OidcServices
{
    /// <summary>Adds the OIDC client store and service, and the OpenIddict server.</summary>
    public static IServiceCollection AddPasskeysOidc(this IServiceCollection services)
    {
        services.AddSingleton(sp => (IOidcClientStore)sp.GetRequiredService<Storage.IPasskeyStore>());
        services.AddSingleton<OidcClientService>();
        return services;
    }
}
