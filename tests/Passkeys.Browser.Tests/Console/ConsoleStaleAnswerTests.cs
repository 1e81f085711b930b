using Microsoft.Playwright;
using Passkeys.Browser.Tests.Infrastructure;

namespace Passkeys.Browser.Tests.OperatorConsole;

/// <summary>
/// A list page's reads may answer out of order (a filter applied before the first load answered):
/// the console shows the answer to the newest read, never an older one that arrived last. The
/// first load is held back in the browser (Playwright routing) until the filtered one is shown.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleStaleAnswerTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task A_filter_applied_before_the_first_load_answered_is_not_overwritten_by_it()
    {
        await using var server = await ConsoleSetup.StartAsync();
        await ConsoleSetup.SignUpWithSoftwareAuthenticatorAsync(server, "mira");
        await using var tab = await fixture.NewTabAsync(nameof(A_filter_applied_before_the_first_load_answered_is_not_overwritten_by_it),
            AuthenticatorOptions.Platform, new Viewport(1280, 900), server);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await ConsoleSetup.EnrolAsync(page, await ConsoleSetup.BootstrapAsync(server), "Ada");

            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await page.RouteAsync("**/v1/admin/tenants/default/audit?**", async route =>
            {
                if (!route.Request.Url.Contains("ceremony=", StringComparison.Ordinal))
                {
                    await release.Task; // the unfiltered first load answers only after the filtered one is shown
                }
                await route.ContinueAsync();
            });
            await page.GotoAsync("/console/#/audit?tenant=default");
            await page.GetByLabel("Ceremony").SelectOptionAsync("registration");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply filter" }).ClickAsync();
            var rows = page.GetByRole(AriaRole.Table, new() { Name = "Audit events of default" }).Locator("tbody tr");
            await Assertions.Expect(rows).ToHaveCountAsync(2); // mira's sign-up: started, succeeded

            var firstLoad = page.WaitForResponseAsync(r => r.Url.Contains("/audit?", StringComparison.Ordinal) && !r.Url.Contains("ceremony=", StringComparison.Ordinal));
            release.SetResult();
            await firstLoad;
            await page.EvaluateAsync("() => new Promise((resolve) => setTimeout(resolve, 300))"); // let the page handle the late answer
            await Assertions.Expect(rows).ToHaveCountAsync(2);
            foreach (var row in await rows.AllAsync())
            {
                await Assertions.Expect(row).ToContainTextAsync("registration");
            }
        });
    }
}
