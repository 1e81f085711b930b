using Microsoft.Playwright;
using Passkeys.Browser.Tests.Infrastructure;

namespace Passkeys.Browser.Tests;

/// <summary>
/// Every page and state a user meets (sign-in, sign-up, account with several passkeys, recovery
/// codes, recovery, step-up, errors, the 404 page), at desktop and phone width: axe-core finds no
/// violation, nothing scrolls sideways, touch targets are at least 44 px. With
/// PASSKEYS_SCREENSHOTS=&lt;folder&gt; each state is also saved as a PNG (docs/screenshots is made so).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PageGalleryTests(BrowserFixture fixture)
{
    [BrowserFact]
    public Task Every_state_at_desktop_width_is_accessible() => WalkAsync(nameof(Every_state_at_desktop_width_is_accessible), new Viewport(1280, 800), "desktop");

    [BrowserFact]
    public Task Every_state_at_phone_width_is_accessible_fits_and_has_big_targets() => WalkAsync(nameof(Every_state_at_phone_width_is_accessible_fits_and_has_big_targets), Viewport.Phone, "phone");

    private async Task WalkAsync(string name, Viewport viewport, string suffix)
    {
        await using var tab = await fixture.NewTabAsync(name, AuthenticatorOptions.Platform, viewport);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
            var username = "gallery-" + Guid.NewGuid().ToString("N")[..6];

            async Task CheckAsync(string state)
            {
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await Axe.AssertNoViolationsAsync(page, state);
                Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{state} scrolls sideways at {viewport.Width} px");
                if (viewport.Width <= 400)
                {
                    var small = await page.EvaluateAsync<string>("""
                        () => [...document.querySelectorAll('button, a.button, input:not([type=radio]), fieldset label')]
                          .filter(e => e.offsetParent !== null)
                          .filter(e => { const r = e.getBoundingClientRect(); return r.height < 43.5; })
                          .map(e => `${e.tagName} "${(e.textContent || e.id).trim().slice(0, 30)}" ${Math.round(e.getBoundingClientRect().height)}px`).join('; ')
                        """);
                    Assert.True(small.Length == 0, $"{state}: touch targets under 44 px: {small}");
                }
                if (Environment.GetEnvironmentVariable("PASSKEYS_SCREENSHOTS") is { Length: > 0 } dir)
                {
                    Directory.CreateDirectory(dir);
                    await page.ScreenshotAsync(new() { Path = Path.Combine(dir, $"{state}-{suffix}.png"), FullPage = true });
                }
            }

            await page.GotoAsync("/");
            await CheckAsync("sign-in");

            // The server can't be reached: one message, with what to do.
            await page.RouteAsync("**/v1/**", route => route.AbortAsync());
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
            await Assertions.Expect(page.Locator("#message")).ToHaveAttributeAsync("data-reason", "server-unreachable");
            await CheckAsync("sign-in-error");
            await page.UnrouteAllAsync();

            await page.GotoAsync("/signup.html");
            await CheckAsync("sign-up");
            await page.GetByLabel("Choose a username").FillAsync("not a name!");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account with a passkey" }).ClickAsync();
            await Assertions.Expect(page.Locator("#message")).ToHaveClassAsync("message error");
            await CheckAsync("sign-up-error");

            await page.GetByLabel("Choose a username").FillAsync(username);
            await page.GetByLabel("Your name (optional)").FillAsync("Gallery User");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account with a passkey" }).ClickAsync();
            await page.WaitForURLAsync("**/account.html?welcome=1");
            await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveCountAsync(1);
            await CheckAsync("account-after-sign-up");

            // A security key, then a second one: several passkeys.
            await tab.AddAuthenticatorAsync(AuthenticatorOptions.SecurityKey);
            await page.GetByLabel("Name for the new passkey (optional)").FillAsync("Blue key");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
            await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveCountAsync(2);
            await CheckAsync("account-several-passkeys");

            await page.GetByRole(AriaRole.Button, new() { Name = "Generate recovery codes" }).ClickAsync();
            await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
            var code = (await page.Locator("#recovery-codes code").First.TextContentAsync())!.Trim();
            await CheckAsync("recovery-codes-shown");
            await page.GetByRole(AriaRole.Button, new() { Name = "I've saved them" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Replace with new codes" }).ClickAsync();
            await Assertions.Expect(page.Locator("#codes-confirm")).ToBeVisibleAsync();
            await CheckAsync("recovery-codes-replace-confirm");
            await page.GetByRole(AriaRole.Button, new() { Name = "Keep my codes" }).ClickAsync();

            await page.GetByLabel("Amount (EUR)").FillAsync("42");
            await page.GetByLabel("To", new() { Exact = true }).FillAsync("Ann");
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm transfer with passkey" }).ClickAsync();
            await Assertions.Expect(page.Locator("#transfer-result")).ToContainTextAsync("Confirmed");
            await CheckAsync("step-up-confirmed");

            await tab.SetUserVerifiedAsync(false);
            await tab.SetUserVerifiedAsync(false, tab.FirstAuthenticatorId!);
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm transfer with passkey" }).ClickAsync();
            await Assertions.Expect(page.Locator("#message")).ToHaveAttributeAsync("data-reason", "cancelled");
            await CheckAsync("step-up-error");

            // Recovery on a new device.
            await tab.RemoveAuthenticatorAsync();
            await tab.Cdp.SendAsync("WebAuthn.removeVirtualAuthenticator", new Dictionary<string, object> { ["authenticatorId"] = tab.FirstAuthenticatorId! });
            await tab.AddAuthenticatorAsync(AuthenticatorOptions.Platform);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.WaitForURLAsync("**/?signedout=1");
            var recovery = page.Locator("#recovery-form");
            await recovery.GetByLabel("Username").FillAsync(username);
            await recovery.GetByLabel("Recovery code").FillAsync(code);
            await CheckAsync("recovery");
            await page.GetByRole(AriaRole.Button, new() { Name = "Use recovery code" }).ClickAsync();
            await page.WaitForURLAsync("**/account.html?recovered=1");
            await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveCountAsync(3);
            await CheckAsync("account-after-recovery");

            await page.GotoAsync("/nope");
            await CheckAsync("not-found");
        }, seconds: 80);
    }
}
