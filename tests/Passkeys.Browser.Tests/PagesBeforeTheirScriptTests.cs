using Microsoft.Playwright;
using Passkeys.Browser.Tests.Infrastructure;
using Passkeys.Browser.Tests.Oidc;

namespace Passkeys.Browser.Tests;

/// <summary>
/// A page's forms work through its module script, which a slow network (or a quick user, or a
/// test) can outrun. Until the script has wired them, their buttons are disabled: a click or Enter
/// then submits nothing natively. Found when CI clicked "Create a passkey" on the hosted OpenID
/// Connect page first: the form posted itself to /authorize and the user got OpenIddict's
/// "The mandatory 'client_id' parameter is missing" instead of a passkey prompt.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PagesBeforeTheirScriptTests(BrowserFixture fixture)
{
    private const string AdminKey = "before-script-admin-key-0123456789abcdef";

    [BrowserFact]
    public async Task Until_its_script_runs_no_page_submits_a_form_and_then_every_button_works()
    {
        await using var server = await ServerHost.StartAsync(null, "--Passkeys:AdminKey=" + AdminKey);
        await using var app = await RelyingApp.StartRegisteredAsync(server, AdminKey);
        await using var tab = await fixture.NewTabAsync(nameof(Until_its_script_runs_no_page_submits_a_form_and_then_every_button_works), AuthenticatorOptions.Platform, server: server);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            // Every page script waits until the test lets it through.
            var release = new TaskCompletionSource();
            await page.RouteAsync("**/js/*.js", async route =>
            {
                await release.Task;
                try
                {
                    await route.ContinueAsync();
                }
                catch (PlaywrightException)
                {
                    // The page was left meanwhile.
                }
            });
            // A form submitted natively is a POST navigation (the script's own requests are fetches).
            var submitted = new List<string>();
            page.Request += (_, request) => { if (request.Method == "POST" && request.IsNavigationRequest) submitted.Add(request.Url); };

            (string Url, string Field, bool StaysAfterScript)[] pages =
            [
                ("/", "#signin-username", true),
                ("/signup.html", "#signup-username", true),
                (app.LoginUrl, "#signup-username", true),  // the hosted OpenID Connect page
                (app.LoginUrl, "#signin-username", true),
                ("/account.html", "#transfer-to", false),  // without a session its script sends the visitor to sign in
            ];
            foreach (var (url, field, staysAfterScript) in pages)
            {
                release = new TaskCompletionSource();
                await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Commit });
                await page.Locator(field).WaitForAsync();
                var controls = await page.EvaluateAsync<string[]>(
                    "() => [...document.querySelectorAll('button[data-needs-script], form:not([action]) button[type=submit]')].map(b => b.id)");
                Assert.True(controls.Length > 0, $"{url}: no control waits for the script");
                foreach (var id in controls)
                {
                    Assert.True(await page.Locator("#" + id).IsDisabledAsync(), $"{url}: #{id} is enabled before the script ran");
                }

                // Enter in a field submits a form only through an enabled submit button.
                var before = page.Url;
                await page.Locator(field).FillAsync("someone");
                await page.Locator(field).PressAsync("Enter");
                await page.WaitForTimeoutAsync(300);
                Assert.Empty(submitted);
                Assert.Equal(before, page.Url);

                release.SetResult();
                if (staysAfterScript)
                {
                    foreach (var id in controls)
                    {
                        await Assertions.Expect(page.Locator("#" + id)).ToBeEnabledAsync();
                    }
                    Assert.Empty(await page.Locator("[data-needs-script]").AllAsync());
                }
                else
                {
                    await page.WaitForURLAsync(server.Origin + "/");
                }
            }
        });
    }
}
