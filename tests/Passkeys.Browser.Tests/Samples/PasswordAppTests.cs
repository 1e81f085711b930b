using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Passkeys.Browser.Tests.Infrastructure;
using PasswordApp;

namespace Passkeys.Browser.Tests.Samples;

/// <summary>
/// samples/PasswordApp in Chromium next to a real passkey server: a user who has a password signs in
/// with it, is offered a passkey (the tenant's rollout says modal), creates one, signs out and
/// signs back in with the passkey.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PasswordAppTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task A_password_user_accepts_the_modal_offer_then_signs_in_with_the_passkey()
    {
        // Everyone is offered a passkey, with the modal prompt; the app's origin may run ceremonies.
        await using var setup = await PasswordAppSetup.StartAsync(new { offerPercentage = 100, offerAfter = "other-method-sign-in", prompt = "modal" });
        var (server, admin, apiKey) = (setup.Server, setup.Admin, setup.ApiKey);
        // The app's users from before passkeys.
        var folder = PasswordAppRunner.NewFolder();
        var alice = new UserStore(PasswordAppRunner.UsersFile(folder)).Create("alice", "Alice Liddell", "correct horse battery staple")!;
        await using var app = await setup.StartAppAsync(folder);

        await using var tab = await fixture.NewTabAsync(nameof(A_password_user_accepts_the_modal_offer_then_signs_in_with_the_passkey), AuthenticatorOptions.Platform, server: server);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await page.GotoAsync(app.Origin + "/");
            await Axe.AssertNoViolationsAsync(page, "password app sign-in page");
            // A wrong password is refused with a message, and signs nobody in.
            await page.Locator("#signin-name").FillAsync("alice");
            await page.Locator("#signin-password").FillAsync("wrong password");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator("#signin-message")).ToHaveTextAsync("Wrong name or password.");

            await page.Locator("#signin-password").FillAsync("correct horse battery staple");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await page.WaitForURLAsync(app.Origin + "/account.html");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hello, Alice Liddell" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#no-passkeys")).ToBeVisibleAsync();

            // The backend reported the password sign-in (so the rollout, which waits for one, offered).
            var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Sign in faster with a passkey" });
            await Assertions.Expect(dialog).ToBeVisibleAsync();
            await Axe.AssertNoViolationsAsync(page, "password app passkey offer");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Create a passkey" }).ClickAsync();
            await Assertions.Expect(page.Locator("#passkeys li")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("#no-passkeys")).ToBeHiddenAsync();
            Assert.Single(await tab.CredentialsAsync());
            // The app keeps its own session: the one the server opened for the registration is ended.
            var sessions = JsonNode.Parse(await admin.GetStringAsync($"/v1/admin/tenants/default/users/{alice.Id}/sessions"))!;
            Assert.Empty(sessions["sessions"]!.AsArray());

            // The server holds the passkey for the app's own user id, and stops offering one.
            using (var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/tenants/default/users/{alice.Id}/passkey-offer"))
            {
                request.Headers.Add("X-Api-Key", apiKey);
                using var answer = await admin.SendAsync(request);
                var offer = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
                Assert.Equal((false, "has-passkey"), ((bool)offer["offer"]!, (string)offer["reason"]!));
            }

            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.WaitForURLAsync(app.Origin + "/");
            // Signed out means signed out: the account page sends the browser back.
            await page.GotoAsync(app.Origin + "/account.html");
            // (Polled, not WaitForURL: the sign-in page's autofill may navigate on before a load event is seen.)
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"^{app.Origin}/(account\\.html)?$"));

            // The page offers the passkey in autofill at once, which the virtual authenticator may
            // answer before the button is clicked: either path signs the same user in.
            try
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync(new() { Timeout = 5000 });
            }
            catch (Exception e) when (e is TimeoutException or PlaywrightException && page.Url.StartsWith(app.Origin + "/account.html", StringComparison.Ordinal))
            {
            }
            await Assertions.Expect(page).ToHaveURLAsync(app.Origin + "/account.html");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hello, Alice Liddell" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#passkeys li")).ToHaveCountAsync(1);
            // No offer after a passkey sign-in.
            await Assertions.Expect(dialog).ToBeHiddenAsync();

            // Manage: rename (the page asks for the name), then delete; the server holds what the page shows.
            page.Dialog += async (_, prompt) => await prompt.AcceptAsync("Test laptop");
            await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Rename ") }).ClickAsync();
            await Assertions.Expect(page.Locator("#passkeys li span")).ToHaveTextAsync("Test laptop");
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete Test laptop" }).ClickAsync();
            await Assertions.Expect(page.Locator("#passkeys li")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#no-passkeys")).ToBeVisibleAsync();
            using var listed = new HttpRequestMessage(HttpMethod.Get, $"/v1/tenants/default/users/{alice.Id}/credentials");
            listed.Headers.Add("X-Api-Key", apiKey);
            using var credentials = await admin.SendAsync(listed);
            Assert.Empty(JsonNode.Parse(await credentials.Content.ReadAsStringAsync())!["credentials"]!.AsArray());
        });
    }

    [BrowserFact]
    public async Task A_conditional_rollout_asks_the_browser_quietly_and_shows_no_dialog()
    {
        await using var setup = await PasswordAppSetup.StartAsync(new { offerPercentage = 100, prompt = "conditional" });
        var (server, admin) = (setup.Server, setup.Admin);
        var folder = PasswordAppRunner.NewFolder();
        new UserStore(PasswordAppRunner.UsersFile(folder)).Create("carol", "Carol", "correct horse battery staple");
        await using var app = await setup.StartAppAsync(folder);

        await using var tab = await fixture.NewTabAsync(nameof(A_conditional_rollout_asks_the_browser_quietly_and_shows_no_dialog), AuthenticatorOptions.Platform, server: server);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await page.GotoAsync(app.Origin + "/");
            await page.Locator("#signin-name").FillAsync("carol");
            await page.Locator("#signin-password").FillAsync("correct horse battery staple");
            var begin = page.WaitForRequestAsync(app.Origin + "/api/passkeys/begin");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await page.WaitForURLAsync(app.Origin + "/account.html");
            // The backend began a conditional registration; this Chromium keeps the quiet request pending
            // (no password manager signed the user in), and the page shows neither a dialog nor an error.
            Assert.Equal("{\"mediation\":\"conditional\"}", (await begin).PostData);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hello, Carol" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#account-message")).ToBeEmptyAsync();
            await Assertions.Expect(page.Locator("#no-passkeys")).ToBeVisibleAsync();
        });
    }
}
