using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Passkeys.Browser.Tests.Infrastructure;
using PasswordApp;

namespace Passkeys.Browser.Tests.Samples;

/// <summary>
/// samples/PasswordApp's recovery in Chromium next to a real passkey server: the first passkey comes
/// with recovery codes shown once; on another device with no passkey, a wrong code is refused, a
/// right one makes a new passkey and signs the user in, that passkey then signs in, a used code and
/// an unknown name are refused, and too many attempts say when to try again. The password still works.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PasswordAppRecoveryTests(BrowserFixture fixture)
{
    private const string Password = "correct horse battery staple";
    private const string WrongOrUsed =
        "That name and recovery code don't match, or the code was used already (each code works once). " +
        "Recovery codes come with a passkey: if you never made one, sign in with your password.";

    [BrowserFact]
    public async Task A_user_who_lost_their_passkey_recovers_with_a_code_on_another_device()
    {
        // Three redeem attempts per name and one new set of codes per user, so the test reaches both budgets (1032, 1033).
        await using var setup = await PasswordAppSetup.StartAsync(new { offerPercentage = 100, offerAfter = "other-method-sign-in", prompt = "modal" },
            "--Passkeys:Recovery:AttemptsPerAccount=3", "--Passkeys:Recovery:GenerationsPerAccount=1");
        var (server, admin) = (setup.Server, setup.Admin);
        var folder = PasswordAppRunner.NewFolder();
        var alice = new UserStore(PasswordAppRunner.UsersFile(folder)).Create("alice", "Alice Liddell", Password)!;
        await using var app = await setup.StartAppAsync(folder);

        // The first device: password sign-in, the offered passkey, and with it the recovery codes.
        string[] codes;
        await using (var laptop = await fixture.NewTabAsync(nameof(A_user_who_lost_their_passkey_recovers_with_a_code_on_another_device) + "-laptop", AuthenticatorOptions.Platform, server: server))
        {
            codes = await CreatePasskeyAndCodesAsync(laptop, app.Origin);
        }
        Assert.Equal(10, codes.Length);
        Assert.All(codes, code => Assert.Matches("^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$", code));
        Assert.Equal(10, await RemainingAsync(admin, alice.Id));

        // The laptop is lost. A new device: its own browser context and an authenticator with no passkey.
        await using var phone = await fixture.NewTabAsync(nameof(A_user_who_lost_their_passkey_recovers_with_a_code_on_another_device) + "-phone", AuthenticatorOptions.Platform, server: server);
        await phone.RunAsync(async () =>
        {
            var page = phone.Page;
            Assert.Empty(await phone.CredentialsAsync());
            await page.GotoAsync(app.Origin + "/");
            var recover = page.GetByRole(AriaRole.Button, new() { Name = "Recover with a new passkey" });
            var message = page.Locator("#recover-message");

            // A wrong code: refused, with its message, and nothing created.
            await page.Locator("#recover-name").FillAsync("alice");
            await page.Locator("#recover-code").FillAsync("AAAA-BBBB-CCCC-DDDD");
            await recover.ClickAsync();
            await Assertions.Expect(message).ToHaveTextAsync(WrongOrUsed);
            Assert.Empty(await phone.CredentialsAsync());

            // A right one (typed in lower case, as people do) whose passkey the device then fails to make
            // (the user is not verified): the page keeps the grant, so trying again needs no other code.
            await phone.SetUserVerifiedAsync(false);
            await page.Locator("#recover-code").FillAsync(codes[0].ToLowerInvariant());
            await recover.ClickAsync();
            await Assertions.Expect(message).ToContainTextAsync("Your recovery code was accepted, but no passkey was created:");
            Assert.Empty(await phone.CredentialsAsync());
            await phone.SetUserVerifiedAsync(true);
            // Then it works: a new passkey on this device, signed in.
            await page.GetByRole(AriaRole.Button, new() { Name = "Create the new passkey" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(app.Origin + "/account.html");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hello, Alice Liddell" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("You are back in with a new passkey.");
            await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("You have 9 unused recovery codes");
            // The lost passkey is still listed (to delete), next to the new one; no new codes were forced on the user.
            await Assertions.Expect(page.Locator("#passkeys li")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#codes-box")).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator("#codes-status")).ToHaveTextAsync(new Regex("^You have 9 unused recovery codes, made "));
            await Axe.AssertNoViolationsAsync(page, "password app account page after recovery");
            Assert.Single(await phone.CredentialsAsync());
            Assert.Equal(9, await RemainingAsync(admin, alice.Id));
            // The app's cookie is the session: the one the server opened for the recovery is ended.
            var sessions = JsonNode.Parse(await admin.GetStringAsync($"/v1/admin/tenants/default/users/{alice.Id}/sessions"))!;
            Assert.Empty(sessions["sessions"]!.AsArray());

            // The new passkey signs in.
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.WaitForURLAsync(app.Origin + "/");
            try
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync(new() { Timeout = 5000 });
            }
            catch (Exception e) when (e is TimeoutException or PlaywrightException && page.Url.StartsWith(app.Origin + "/account.html", StringComparison.Ordinal))
            {
                // Autofill answered first: the same sign-in.
            }
            await Assertions.Expect(page).ToHaveURLAsync(app.Origin + "/account.html");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hello, Alice Liddell" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#notice")).ToBeEmptyAsync();
            // From here the authenticator waits for a touch that never comes, so the sign-in page's
            // autofill stays pending instead of signing alice straight back in.
            await phone.SetPresenceSimulationAsync(false);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.WaitForURLAsync(app.Origin + "/");

            // The used code is refused the second time, and an unknown name reads the same.
            await page.Locator("#recover-name").FillAsync("alice");
            await page.Locator("#recover-code").FillAsync(codes[0]);
            await recover.ClickAsync();
            await Assertions.Expect(message).ToHaveTextAsync(WrongOrUsed);
            await page.Locator("#recover-name").FillAsync("nobody");
            await page.Locator("#recover-code").FillAsync(codes[1]);
            await recover.ClickAsync();
            await Assertions.Expect(message).ToHaveTextAsync(WrongOrUsed);
            // A fourth attempt for alice in the window (the budget is 3): refused, saying when to try again
            // (the server's Retry-After, which its CORS answer lets this page read: the window is fixed, so any time up to 15 minutes).
            await page.Locator("#recover-name").FillAsync("alice");
            await recover.ClickAsync();
            await Assertions.Expect(message).ToHaveTextAsync(new Regex(
                @"^Too many recovery attempts for this name\. Try again in ([0-9]+ seconds|1 minute|([2-9]|1[0-5]) minutes), or sign in with your password\.$"));
            Assert.Single(await phone.CredentialsAsync());
            Assert.Equal(9, await RemainingAsync(admin, alice.Id));
            await Assertions.Expect(page.Locator("#signin-message")).ToBeEmptyAsync();
        });

        // Recovery did not touch the password: it still signs alice in.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{app.Port}") };
        http.DefaultRequestHeaders.Add("X-Requested-With", "fetch");
        using var signedIn = await http.PostAsJsonAsync("/api/sign-in/password", new { name = "alice", password = Password });
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }

    /// <summary>Password sign-in, the modal offer accepted; returns the codes the page then shows once.</summary>
    private static async Task<string[]> CreatePasskeyAndCodesAsync(Tab tab, string appOrigin)
    {
        string[] codes = [];
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await page.GotoAsync(appOrigin + "/");
            await Axe.AssertNoViolationsAsync(page, "password app sign-in page with recovery");
            await page.Locator("#signin-name").FillAsync("alice");
            await page.Locator("#signin-password").FillAsync(Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await page.WaitForURLAsync(appOrigin + "/account.html");
            // No passkey, no codes: the section waits for the first passkey.
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Recovery codes" })).ToBeHiddenAsync();
            await page.GetByRole(AriaRole.Dialog, new() { Name = "Sign in faster with a passkey" })
                .GetByRole(AriaRole.Button, new() { Name = "Create a passkey" }).ClickAsync();
            await Assertions.Expect(page.Locator("#passkeys li")).ToHaveCountAsync(1);

            // With the first passkey, its recovery codes, shown once.
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Recovery codes" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#codes-list code")).ToHaveCountAsync(10);
            await Assertions.Expect(page.Locator("#codes-status")).ToHaveTextAsync(new Regex("^You have 10 unused recovery codes, made "));
            await Axe.AssertNoViolationsAsync(page, "password app recovery codes shown");
            codes = [.. await page.Locator("#codes-list code").AllInnerTextsAsync()];
            // Downloaded as a text file, one numbered code per line.
            var download = page.WaitForDownloadAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Download codes" }).ClickAsync();
            var saved = await File.ReadAllTextAsync(await (await download).PathAsync());
            Assert.Contains($" 1. {codes[0]}\n", saved, StringComparison.Ordinal);
            Assert.Contains($"10. {codes[9]}\n", saved, StringComparison.Ordinal);
            await page.GetByRole(AriaRole.Button, new() { Name = "I have saved them" }).ClickAsync();
            await Assertions.Expect(page.Locator("#codes-list code")).ToHaveCountAsync(0);

            // Shown once: after a reload the page has only the count, and replacing asks first.
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("#codes-status")).ToHaveTextAsync(new Regex("^You have 10 unused recovery codes"));
            await Assertions.Expect(page.Locator("#codes-list code")).ToHaveCountAsync(0);
            await page.GetByRole(AriaRole.Button, new() { Name = "Replace with new codes…" }).ClickAsync();
            await Assertions.Expect(page.Locator("#codes-confirm-text")).ToHaveTextAsync(
                "Replace your 10 unused codes? The old codes stop working at once, so throw away any copy you kept.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Keep my codes" }).ClickAsync();
            await Assertions.Expect(page.Locator("#codes-confirm")).ToBeHiddenAsync();
            // Replacing them at once is past the server's budget of new sets (1033): the page says when, and the codes stand.
            await page.GetByRole(AriaRole.Button, new() { Name = "Replace with new codes…" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Replace them" }).ClickAsync();
            await Assertions.Expect(page.Locator("#codes-message")).ToHaveTextAsync(new Regex(
                "^You made new recovery codes too often\\. Try again in ([0-9]+ seconds|1 minute|[0-9]+ minutes); your current codes still work\\.$"));
            await Assertions.Expect(page.Locator("#codes-list code")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#codes-status")).ToHaveTextAsync(new Regex("^You have 10 unused recovery codes"));
        });
        return codes;
    }

    private static async Task<int> RemainingAsync(HttpClient admin, string userId) =>
        (int)JsonNode.Parse(await admin.GetStringAsync($"/v1/admin/tenants/default/users/{userId}/recovery-codes"))!["remaining"]!;
}
