namespace Passkeys.Server.Oidc;

#pragma warning disable CA1056, CA1054 // URIs are strings in JSON

/// <summary>
/// Body of create and update (<c>/v1/admin/tenants/{tenant}/oidc-clients</c>). On update,
/// <c>clientId</c> may be omitted (it must equal the path's if given) and <c>clientType</c> cannot change.
/// </summary>
public sealed record OidcClientInput(
    string? ClientId = null, string? DisplayName = null, string? ClientType = null,
    IReadOnlyList<string>? RedirectUris = null, IReadOnlyList<string>? PostLogoutRedirectUris = null);

/// <summary>An OIDC client in responses (never its secret).</summary>
public sealed record OidcClientView(
    string ClientId, string DisplayName, string ClientType, IReadOnlyList<string> RedirectUris, IReadOnlyList<string> PostLogoutRedirectUris,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The view of a stored client.</summary>
    public static OidcClientView Of(OidcClientRecord c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.ClientId, c.DisplayName, c.ClientType, c.RedirectUris, c.PostLogoutRedirectUris, c.CreatedAt, c.UpdatedAt);
    }
}

/// <summary>A created client: <c>clientSecret</c> is shown this once (confidential clients; null for public ones).</summary>
public sealed record OidcClientCreated(OidcClientView Client, string? ClientSecret);

/// <summary>The tenant's OIDC clients.</summary>
public sealed record OidcClientList(IReadOnlyList<OidcClientView> Clients);
