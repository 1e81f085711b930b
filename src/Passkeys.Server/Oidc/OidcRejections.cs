using OpenIddict.Server;
using Passkeys.Server.Errors;

namespace Passkeys.Server.Oidc;

/// <summary>
/// OAuth errors carry our stable code too: <c>error</c> is the OAuth value a client library
/// understands, <c>error_description</c> the plain message with the code, and <c>error_uri</c>
/// names the code like problem details' <c>type</c> does (docs/api.md, "OpenID Connect").
/// </summary>
public static class OidcRejections
{
    /// <summary>Rejects the request with <paramref name="oauthError"/> and our <paramref name="code"/>.</summary>
    public static void Reject(this OpenIddictServerEvents.BaseValidatingContext context, string oauthError, ServerError code)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Reject(oauthError, Description(code), UriOf(code));
    }

    /// <summary><c>error_description</c>: the message and, in brackets, the code.</summary>
    public static string Description(ServerError code) => $"{OidcMessages.Of(code)} ({(int)code} {code})";

    /// <summary><c>error_uri</c>: the same address problem details use as <c>type</c>.</summary>
    public static string UriOf(ServerError code) => "https://passkeys.invalid/errors/" + Kebab(code.ToString());

    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
