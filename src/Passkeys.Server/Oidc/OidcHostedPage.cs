using System.Net;
using System.Text;
using OpenIddict.Abstractions;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Oidc;

/// <summary>
/// The hosted sign-in page the authorization endpoint shows, in the tenant's name: a passkey
/// button, autofill on the username field, sign-up when the tenant allows self sign-up, and a
/// recovery code. Its script (<c>/js/oidc-signin.js</c>) runs the normal ceremonies through the SDK,
/// then posts the authorization form below (<see cref="OidcSignInProof"/>). The authorization
/// request's parameters travel as the form's hidden fields, so a failed completion can show the
/// page again without losing them.
/// </summary>
public static class OidcHostedPage
{
    /// <summary>
    /// The page's Content-Security-Policy: the server's page policy (<see cref="PageSecurityHeaders"/>)
    /// with the client's redirect origin added to <c>form-action</c>, because browsers apply
    /// <c>form-action</c> to the redirect that answers the form (302 to the client with the code).
    /// </summary>
    public static string ContentSecurityPolicy(string redirectUri)
    {
        var origin = new Uri(redirectUri).GetLeftPart(UriPartial.Authority);
        return PageSecurityHeaders.ContentSecurityPolicy.Replace("form-action 'self'", "form-action 'self' " + origin, StringComparison.Ordinal);
    }

    /// <summary>The page's HTML.</summary>
    public static string Render(TenantRecord tenant, OidcClientRecord client, OpenIddictRequest request, string formAction, string ticket, string? error)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        var rp = E(tenant.RpName);
        var app = E(client.DisplayName);
        var html = new StringBuilder(4096);
        html.Append($$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <meta name="referrer" content="no-referrer">
              <title>Sign in to {{app}} — {{rp}}</title>
              <link rel="icon" href="data:,">
              <link rel="stylesheet" href="/app.css">
            </head>
            <body>
              <header><div class="bar"><h1>{{rp}}</h1></div></header>
              <main id="oidc" data-tenant="{{E(tenant.Id)}}">
                <div id="message" class="message{{(error is null ? "" : " error")}}" tabindex="-1" aria-live="polite"{{(error is null ? "" : " role=\"alert\"")}}>{{E(error ?? "")}}</div>
                <section aria-labelledby="signin-title">
                  <h2 id="signin-title">Sign in to continue to {{app}}</h2>
                  <p id="unsupported" class="muted" hidden>This browser can't use passkeys. Use a recovery code below, or open this page in an up-to-date browser.</p>
                  <noscript><p class="muted">This page needs JavaScript: passkeys are created and used through it. Turn JavaScript on for this site.</p></noscript>
                  <button type="button" id="passkey-signin" disabled data-needs-script>Sign in with a passkey</button>
                  <p class="or">or</p>
                  <form id="signin-form" method="post" novalidate>
                    <label for="signin-username">Username</label>
                    <input id="signin-username" name="username" autocomplete="username webauthn" autocapitalize="none" spellcheck="false" aria-describedby="signin-hint" required>
                    <p id="signin-hint" class="muted">Your passkeys appear when you select this field.</p>
                    <div class="actions"><button type="submit" id="signin-continue" class="secondary" disabled data-needs-script>Continue</button></div>
                  </form>
                </section>

            """);
        if (tenant.SelfSignUp)
        {
            html.Append("""
                    <section aria-labelledby="signup-title">
                      <h2 id="signup-title">New here? Create an account</h2>
                      <form id="signup-form" method="post" novalidate>
                        <label for="signup-username">Username</label>
                        <input id="signup-username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required
                               aria-describedby="signup-hint">
                        <p id="signup-hint" class="muted">1 to 64 characters: letters, digits, dots, dashes or underscores.</p>
                        <label for="signup-display">Display name (optional)</label>
                        <input id="signup-display" name="displayName" autocomplete="name">
                        <div class="actions"><button type="submit" id="signup-submit" class="secondary" disabled data-needs-script>Create a passkey</button></div>
                      </form>
                    </section>

                """);
        }
        html.Append("""
                <section aria-labelledby="recovery-title">
                  <h2 id="recovery-title">Lost your passkey?</h2>
                  <p class="muted">Use one of your recovery codes to create a new passkey. Each code works once.</p>
                  <form id="recovery-form" method="post" novalidate>
                    <label for="recovery-username">Username</label>
                    <input id="recovery-username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required>
                    <label for="recovery-code">Recovery code</label>
                    <input id="recovery-code" name="code" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" required>
                    <div class="actions"><button type="submit" id="recovery-submit" class="secondary" disabled data-needs-script>Use recovery code</button></div>
                  </form>
                </section>

            """);
        html.Append($"""    <form id="authorize-form" method="post" action="{E(formAction)}" hidden>""").Append('\n');
        foreach (var (name, value) in request.GetParameters())
        {
            if (name is OidcSignInProof.SessionParameter or OidcSignInProof.StartedParameter || (string?)value is not { } text)
            {
                continue;
            }
            html.Append($"""      <input type="hidden" name="{E(name)}" value="{E(text)}">""").Append('\n');
        }
        html.Append($"""      <input type="hidden" name="{OidcSignInProof.SessionParameter}" value="">""").Append('\n');
        html.Append($"""      <input type="hidden" name="{OidcSignInProof.StartedParameter}" value="{E(ticket)}">""").Append('\n');
        html.Append("""
                </form>
              </main>
              <script type="module" src="/js/oidc-signin.js"></script>
            </body>
            </html>

            """);
        return html.ToString();
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
