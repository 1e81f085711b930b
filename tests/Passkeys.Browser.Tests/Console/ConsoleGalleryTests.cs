using Microsoft.Playwright;
using Passkeys.Browser.Tests.Infrastructure;

namespace Passkeys.Browser.Tests.OperatorConsole;

/// <summary>
/// Every console page at desktop (1280 px) and phone (390 px) width: axe-core finds no violation,
/// nothing scrolls sideways (on the phone neither the page nor a table in it), touch targets on the phone are at least 44 px high. With
/// PASSKEYS_SCREENSHOTS=&lt;folder&gt; each page is saved as console-&lt;page&gt;-&lt;width&gt;.png
/// (docs/screenshots is made so).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleGalleryTests(BrowserFixture fixture)
{
    [BrowserFact]
    public Task Every_console_page_at_desktop_width_is_accessible() => WalkAsync(nameof(Every_console_page_at_desktop_width_is_accessible), new Viewport(1280, 800), "desktop");

    [BrowserFact]
    public Task Every_console_page_at_phone_width_is_accessible_and_fits() => WalkAsync(nameof(Every_console_page_at_phone_width_is_accessible_and_fits), Viewport.Phone, "phone");

    private async Task WalkAsync(string name, Viewport viewport, string suffix)
    {
        await using var server = await ConsoleSetup.StartAsync();
        await using var tab = await fixture.NewTabAsync(name, AuthenticatorOptions.Platform, viewport, server);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;

            async Task CheckAsync(string state)
            {
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await Axe.AssertNoViolationsAsync(page, state);
                Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{state} scrolls sideways at {viewport.Width} px");
                // Nor, on a phone, any table region inside it: a row's last cell (a Cancel button) must not sit off-screen.
                // (At desktop width a wide table, such as the audit log's, may scroll inside its own region.)
                var wide = await page.EvaluateAsync<string>("""
                    () => [...document.querySelectorAll('.table-wrap')].filter(w => w.offsetParent !== null && w.scrollWidth > w.clientWidth + 1)
                      .map(w => `${w.getAttribute('aria-label')} (${w.scrollWidth} > ${w.clientWidth} px)`).join('; ')
                    """);
                Assert.True(viewport.Width > 400 || wide.Length == 0, $"{state}: tables scroll sideways at {viewport.Width} px: {wide}");
                if (viewport.Width <= 400)
                {
                    var small = await page.EvaluateAsync<string>("""
                        () => [...document.querySelectorAll('button, a.button, nav a, input:not([type=checkbox]), select')]
                          .filter(e => e.offsetParent !== null)
                          .filter(e => e.getBoundingClientRect().height < 43.5)
                          .map(e => `${e.tagName} "${(e.textContent || e.id).trim().slice(0, 30)}" ${Math.round(e.getBoundingClientRect().height)}px`).join('; ')
                        """);
                    Assert.True(small.Length == 0, $"{state}: touch targets under 44 px: {small}");
                }
                if (Environment.GetEnvironmentVariable("PASSKEYS_SCREENSHOTS") is { Length: > 0 } dir)
                {
                    Directory.CreateDirectory(dir);
                    await page.ScreenshotAsync(new() { Path = Path.Combine(dir, $"console-{state}-{suffix}.png"), FullPage = true });
                }
            }

            await page.GotoAsync("/console/");
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" })).ToBeVisibleAsync();
            await CheckAsync("sign-in");

            var link = await ConsoleSetup.BootstrapAsync(server);
            await page.GotoAsync(link);
            await Assertions.Expect(page.GetByLabel("Your name")).ToBeVisibleAsync();
            await CheckAsync("enrol");
            await ConsoleSetup.EnrolAsync(page, link, "Ada Lovelace");
            await CheckAsync("tenants");

            await page.GotoAsync("/console/#/tenants?edit=default");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tenant default" })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete tenant" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete default" })).ToBeFocusedAsync();
            await CheckAsync("tenant-settings");

            await page.GotoAsync("/console/#/api-keys?tenant=default");
            await page.GetByLabel("Name of the new key").FillAsync("shop backend");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
            await Assertions.Expect(page.Locator("#new-key-secret")).ToBeVisibleAsync();
            await CheckAsync("api-keys");

            var userId = await ConsoleSetup.SignUpWithSoftwareAuthenticatorAsync(server, "mira");
            await ConsoleSetup.SignUpWithSoftwareAuthenticatorAsync(server, "noor");
            await page.GotoAsync("/console/#/users?tenant=default");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "mira" })).ToBeVisibleAsync();
            await CheckAsync("users");

            await page.GotoAsync($"/console/#/users?tenant=default&user={userId}");
            await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveCountAsync(1);
            await page.Locator("#passkeys").GetByRole(AriaRole.Button, new() { NameRegex = new("^Suspend ") }).ClickAsync();
            await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveAttributeAsync("data-status", "suspended");
            await CheckAsync("user");

            await page.GotoAsync("/console/#/signing-keys?tenant=default");
            await page.GetByRole(AriaRole.Button, new() { Name = "Rotate now" }).ClickAsync();
            await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("New signing key");
            await CheckAsync("signing-keys");

            await page.GotoAsync("/console/#/audit?tenant=default");
            await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Audit events of default" })).ToBeVisibleAsync();
            await CheckAsync("audit");

            await page.GotoAsync("/console/#/operators");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create invitation link" }).ClickAsync();
            await Assertions.Expect(page.Locator("#invitation-link")).ToBeVisibleAsync();
            await CheckAsync("operators");

            // The analytics and rollout pages, over the two sign-ups above.
            await page.GotoAsync("/console/#/overview?tenant=default&period=24h");
            await Assertions.Expect(page.Locator("#figure-sign-ups .figure-value")).ToHaveTextAsync("2");
            await CheckAsync("overview");
            await page.GotoAsync("/console/#/funnels?tenant=default&period=24h");
            await Assertions.Expect(page.Locator("#funnel-registration-modal")).ToBeVisibleAsync();
            await CheckAsync("funnels");
            await page.Locator("#funnel-registration-modal-totals tr[data-step='succeeded'] a").ClickAsync();
            await Assertions.Expect(page.Locator("#ceremony-total")).ToHaveTextAsync("2 ceremonies match.");
            await CheckAsync("ceremonies");
            await page.GotoAsync("/console/#/adoption?tenant=default&period=24h");
            await Assertions.Expect(page.Locator("#adoption-rate")).ToBeVisibleAsync();
            await CheckAsync("adoption");
            await page.GotoAsync("/console/#/rollout?tenant=default");
            await Assertions.Expect(page.Locator("#rollout-status")).ToBeVisibleAsync();
            await CheckAsync("rollout");
        }, seconds: 150);
    }
}
