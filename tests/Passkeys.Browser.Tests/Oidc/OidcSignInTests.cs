using Microsoft.Playwright;
using Passkeys.Browser.Tests.Infrastructure;

namespace Passkeys.Browser.Tests.Oidc;

/// <summary>
/// OpenID Connect in Chromium: an app with no passkey code sends the user to the tenant's hosted
/// page, which signs up or signs in with a (virtual) passkey and returns a code the app redeems.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OidcSignInTests(BrowserFixture fixture)
{
    private const string AdminKey = "oidc-browser-admin-key-0123456789abcdef";

    [BrowserFact]
    public async Task Sign_up_then_sign_in_through_the_hosted_page_into_a_relying_app()
    {
        await using var server = await ServerHost.StartAsync(null, "--Passkeys:AdminKey=" + AdminKey);
        await using var app = await RelyingApp.StartRegisteredAsync(server, AdminKey);

        await using var tab = await fixture.NewTabAsync(nameof(Sign_up_then_sign_in_through_the_hosted_page_into_a_relying_app), AuthenticatorOptions.Platform, server: server);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            var username = "oidc-" + Guid.NewGuid().ToString("N")[..8];
            await page.GotoAsync(app.LoginUrl);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to continue to Relying App" })).ToBeVisibleAsync();
            // The hosted page meets the same accessibility bar as the demo pages, and breaks no page rule.
            await Axe.AssertNoViolationsAsync(page, "oidc hosted sign-in page");
            await page.Locator("#signup-username").FillAsync(username);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create a passkey" }).ClickAsync();
            await page.WaitForURLAsync($"{app.RedirectUri}**");
            await Assertions.Expect(page.Locator("#result")).ToHaveTextAsync($"Signed in as {username} with hwk user (urn:passkeys:acr:passkey:uv)");

            // Again, now with the passkey: prompt=login makes the page ask for a new ceremony. The page
            // offers the passkey in autofill at once, which the virtual authenticator may answer before
            // the button is clicked: either path signs the same user in.
            await page.GotoAsync(app.LoginUrl + "?prompt=login");
            try
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync(new() { Timeout = 5000 });
            }
            catch (Exception e) when (e is TimeoutException or PlaywrightException && page.Url.StartsWith(app.RedirectUri, StringComparison.Ordinal))
            {
            }
            await page.WaitForURLAsync($"{app.RedirectUri}**");
            await Assertions.Expect(page.Locator("#result")).ToHaveTextAsync($"Signed in as {username} with hwk user (urn:passkeys:acr:passkey:uv)");
        });
    }

    [BrowserFact]
    public async Task A_failed_sign_up_on_the_hosted_page_offers_the_passkey_autofill_again()
    {
        await using var server = await ServerHost.StartAsync(null, "--Passkeys:AdminKey=" + AdminKey);
        await using var app = await RelyingApp.StartRegisteredAsync(server, AdminKey);
        await using var tab = await fixture.NewTabAsync(nameof(A_failed_sign_up_on_the_hosted_page_offers_the_passkey_autofill_again), AuthenticatorOptions.Platform, server: server);
        var console = new List<string>();
        tab.Page.Console += (_, m) => { if (m.Type is "error") console.Add(m.Text); };
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            // Autofill starts with a begin that asks for conditional mediation (the SDK's signIn({ autofill: true })).
            static bool AutofillBegins(IRequest r) => r.Method == "POST" && r.Url.EndsWith("/authentication/begin", StringComparison.Ordinal)
                && (r.PostData ?? "").Contains("\"mediation\":\"conditional\"", StringComparison.Ordinal);
            var onLoad = page.WaitForRequestAsync(AutofillBegins);
            await page.GotoAsync(app.LoginUrl);
            await onLoad;

            // The user fails the device's check: the sign-up ceremony, which replaced autofill, fails.
            await tab.SetUserVerifiedAsync(false);
            await page.Locator("#signup-username").FillAsync("oidc-" + Guid.NewGuid().ToString("N")[..8]);
            var again = page.WaitForRequestAsync(AutofillBegins, new() { Timeout = 10_000 });
            await page.GetByRole(AriaRole.Button, new() { Name = "Create a passkey" }).ClickAsync();
            await Assertions.Expect(page.Locator("#message")).ToHaveAttributeAsync("role", "alert");
            await Assertions.Expect(page.Locator("#message")).ToHaveAttributeAsync("data-code", "cancelled");

            // As after any failed ceremony on the sign-in pages, the username field offers passkeys again.
            await again;
            // The page's modules (the SDK's and the shared sign-in controls) all load under its CSP.
            Assert.DoesNotContain(console, c => c.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        });
    }
}
