using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Passkeys.Browser.Tests.Infrastructure;

namespace Passkeys.Browser.Tests;

/// <summary>
/// The demo site end to end: real pages, real Chromium, a virtual authenticator, the server's API.
/// Controls are found by their accessible names, so the tests also check that they are labelled.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class DemoTests(BrowserFixture fixture)
{
    private static string NewUsername() => "user-" + Guid.NewGuid().ToString("N")[..10];

    private static ILocator Message(IPage page) => page.Locator("#message");

    private static async Task SignUpAsync(IPage page, string username, string where = "This device")
    {
        await page.GotoAsync("/signup.html");
        await page.GetByLabel("Choose a username").FillAsync(username);
        await page.GetByLabel("Your name (optional)").FillAsync("Test " + username);
        await page.GetByLabel(where).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account with a passkey" }).ClickAsync();
        await page.WaitForURLAsync("**/account.html?welcome=1");
        await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveCountAsync(1);
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/?signedout=1");
    }

    /// <summary>
    /// Clicks a sign-in control while an autofill request may still be pending. Turning the virtual
    /// authenticator's presence simulation back on sometimes lets Chromium complete that pending
    /// autofill request first (a real user picking the suggestion); the page then signs in before
    /// the click, which is the same outcome by the other passkey path. The SDK test
    /// A_new_ceremony_cancels_the_pending_autofill proves the cancellation itself.
    /// </summary>
    private static async Task ClickUnlessAutofillSignedInAsync(IPage page, ILocator control)
    {
        try
        {
            await control.ClickAsync(new() { Timeout = 5000 });
        }
        catch (TimeoutException) when (page.Url.EndsWith("/account.html", StringComparison.Ordinal))
        {
        }
    }

    /// <summary>
    /// Waits until the sign-in page's autofill request is pending. waitForFunction does not await a
    /// promise (a pending one already counts as true, so an async condition never waits): the page
    /// imports the SDK once and the condition asks it synchronously.
    /// </summary>
    private static async Task WaitForPendingAutofillAsync(IPage page)
    {
        await page.EvaluateAsync("async () => { window.passkeysSdk = await import('/sdk/passkeys.js'); }");
        await page.WaitForFunctionAsync("() => window.passkeysSdk.activeCeremony() === 'autofill'");
    }

    [BrowserFact]
    public async Task Sign_up_then_sign_in_with_the_passkey_button()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Sign_up_then_sign_in_with_the_passkey_button), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            var username = NewUsername();
            await SignUpAsync(page, username);
            await Assertions.Expect(page.Locator("#whoami")).ToContainTextAsync(username);
            await Assertions.Expect(page.Locator("#passkeys .passkey-name")).ToHaveTextAsync("Passkey on this device");
            await Assertions.Expect(page.Locator("#passkeys .sync")).ToHaveTextAsync("Only on the device that made it");

            // Hold the autofill request open (no simulated touch), as a user who hasn't picked a
            // suggestion; the button must cancel it and sign in.
            await tab.SetPresenceSimulationAsync(false);
            await SignOutAsync(page);
            await WaitForPendingAutofillAsync(page);
            await tab.SetPresenceSimulationAsync(true);
            await ClickUnlessAutofillSignedInAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }));
            await page.WaitForURLAsync("**/account.html");
            await Assertions.Expect(page.Locator("#whoami")).ToContainTextAsync(username);
            await Assertions.Expect(page.Locator("#passkeys .last-used")).Not.ToHaveTextAsync("Never");
        });
    }

    [BrowserFact]
    public async Task Autofill_on_the_username_field_signs_in()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Autofill_on_the_username_field_signs_in), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            var username = NewUsername();
            await SignUpAsync(page, username);
            await SignOutAsync(page);
            // The virtual authenticator picks the autofill suggestion at once, like a user choosing it.
            await page.WaitForURLAsync("**/account.html");
            await Assertions.Expect(page.Locator("#whoami")).ToContainTextAsync(username);
        });
    }

    [BrowserFact]
    public async Task Sign_in_with_a_username_uses_the_passkey_for_that_account()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Sign_in_with_a_username_uses_the_passkey_for_that_account), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            var username = NewUsername();
            await SignUpAsync(page, username);
            await tab.SetPresenceSimulationAsync(false);
            await SignOutAsync(page);
            await WaitForPendingAutofillAsync(page);
            await tab.SetPresenceSimulationAsync(true);
            try
            {
                await page.Locator("#signin-form").GetByLabel("Username").FillAsync(username, new() { Timeout = 5000 });
                await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync(new() { Timeout = 5000 });
            }
            catch (TimeoutException) when (page.Url.EndsWith("/account.html", StringComparison.Ordinal))
            {
                // The pending autofill request completed first (see ClickUnlessAutofillSignedInAsync).
            }
            await page.WaitForURLAsync("**/account.html");
            await Assertions.Expect(page.Locator("#whoami")).ToContainTextAsync(username);
        });
    }

    [BrowserFact]
    public async Task Sign_up_with_a_security_key()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Sign_up_with_a_security_key), AuthenticatorOptions.SecurityKey);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await page.GotoAsync("/signup.html");
            // No platform authenticator here: the page says so and preselects phone / security key.
            await Assertions.Expect(page.Locator("#platform-hint")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByLabel("A phone or security key")).ToBeCheckedAsync();
            await SignUpAsync(page, NewUsername(), "A phone or security key");
            await Assertions.Expect(page.Locator("#passkeys .passkey-name")).ToHaveTextAsync("Security key");
        });
    }

    [BrowserFact]
    public async Task After_a_sign_in_with_a_security_key_the_account_page_asks_for_a_quiet_passkey_upgrade()
    {
        await using var tab = await fixture.NewTabAsync(nameof(After_a_sign_in_with_a_security_key_the_account_page_asks_for_a_quiet_passkey_upgrade), AuthenticatorOptions.SecurityKey);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            // Record every create() call's mediation, page after page.
            await page.AddInitScriptAsync("""
                const original = navigator.credentials.create.bind(navigator.credentials);
                navigator.credentials.create = (o) => {
                  const calls = JSON.parse(sessionStorage.getItem('create-calls') ?? '[]');
                  calls.push(o?.mediation ?? 'modal');
                  sessionStorage.setItem('create-calls', JSON.stringify(calls));
                  return original(o);
                };
                """);
            // And what each registration begin told the server (the upgrade must say "conditional",
            // or the server would refuse a response without user presence).
            var begins = new System.Collections.Concurrent.ConcurrentQueue<string>();
            page.Request += (_, r) => { if (r.Url.EndsWith("/registration/begin", StringComparison.Ordinal)) begins.Enqueue(r.PostData ?? ""); };
            await SignUpAsync(page, NewUsername(), "A phone or security key");
            await SignOutAsync(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
            await page.WaitForURLAsync("**/account.html");
            // Chromium asks its password manager to approve a conditional create; the virtual
            // setup has none, so the request just stays quiet. What matters: it was asked for.
            await page.WaitForFunctionAsync("() => JSON.parse(sessionStorage.getItem('create-calls') ?? '[]').includes('conditional')");
            Assert.Equal("[\"modal\",\"conditional\"]", await page.EvaluateAsync<string>("() => sessionStorage.getItem('create-calls')"));
            Assert.Equal(2, begins.Count);
            Assert.DoesNotContain("mediation", begins.First(), StringComparison.Ordinal);
            Assert.Contains("\"mediation\":\"conditional\"", begins.Last(), StringComparison.Ordinal);
            await Assertions.Expect(Message(page)).Not.ToHaveClassAsync(new Regex("error"));
        });
    }

    [BrowserFact]
    public async Task A_synced_passkey_is_listed_as_synced()
    {
        await using var tab = await fixture.NewTabAsync(nameof(A_synced_passkey_is_listed_as_synced),
            AuthenticatorOptions.Platform with { BackupEligibility = true, BackupState = true });
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await SignUpAsync(page, NewUsername());
            await Assertions.Expect(page.Locator("#passkeys .passkey-name")).ToHaveTextAsync("Synced passkey");
            await Assertions.Expect(page.Locator("#passkeys .sync")).ToHaveTextAsync("Synced across your devices by your password manager");
            // The virtual authenticator's AAGUID is in no provider list: the page says so rather than guess.
            await Assertions.Expect(page.Locator("#passkeys .provider")).ToHaveTextAsync("Unknown provider");
        });
    }

    [BrowserFact]
    public async Task Failed_user_verification_shows_the_plain_message()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Failed_user_verification_shows_the_plain_message), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            var username = NewUsername();
            await SignUpAsync(page, username);
            await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveCountAsync(1);

            // Step-up requires user verification; the user fails it.
            await tab.SetUserVerifiedAsync(false);
            await page.GetByLabel("Amount (EUR)").FillAsync("120");
            await page.GetByLabel("To", new() { Exact = true }).FillAsync("Bob");
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm transfer with passkey" }).ClickAsync();
            await Assertions.Expect(Message(page)).ToHaveAttributeAsync("data-code", "cancelled");
            await Assertions.Expect(Message(page)).ToHaveAttributeAsync("role", "alert");
            await Assertions.Expect(Message(page)).ToHaveAttributeAsync("data-reason", "cancelled");
            await Assertions.Expect(Message(page)).ToContainTextAsync("The transfer was not confirmed");
            await Assertions.Expect(Message(page)).ToContainTextAsync("Try again");
            await Assertions.Expect(page.Locator("#transfer-result")).ToHaveTextAsync("");
        });
    }

    [BrowserFact]
    public async Task Step_up_confirms_a_transfer()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Step_up_confirms_a_transfer), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await SignUpAsync(page, NewUsername());
            await page.GetByLabel("Amount (EUR)").FillAsync("120");
            await page.GetByLabel("To", new() { Exact = true }).FillAsync("Bob");
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm transfer with passkey" }).ClickAsync();
            await Assertions.Expect(page.Locator("#transfer-result")).ToContainTextAsync("Confirmed: Transfer 120.00 EUR to Bob");
            var expected = Convert.ToBase64String(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("Transfer 120.00 EUR to Bob"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            Assert.Equal(expected, await page.Locator("#transfer-result").GetAttributeAsync("data-transaction-hash"));
        });
    }

    [BrowserFact]
    public async Task A_second_passkey_can_be_added_renamed_made_default_and_deleted()
    {
        await using var tab = await fixture.NewTabAsync(nameof(A_second_passkey_can_be_added_renamed_made_default_and_deleted), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await page.AddInitScriptAsync("""
                for (const m of ['signalCurrentUserDetails', 'signalAllAcceptedCredentials']) {
                  const original = PublicKeyCredential[m].bind(PublicKeyCredential);
                  PublicKeyCredential[m] = (args) => { (window.signals ??= []).push({ m, args }); return original(args); };
                }
                """);
            var username = NewUsername();
            await SignUpAsync(page, username);

            // The same device again: the exclude list stops a duplicate, with a plain message.
            await page.Locator("#add-form").GetByLabel("This device").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
            await Assertions.Expect(Message(page)).ToHaveAttributeAsync("data-code", "already_registered");
            await Assertions.Expect(Message(page)).ToContainTextAsync("already has a passkey");

            // A security key is plugged in.
            var platformId = tab.AuthenticatorId!;
            await tab.AddAuthenticatorAsync(AuthenticatorOptions.SecurityKey);
            await page.GetByLabel("A phone, tablet or security key").CheckAsync();
            await page.GetByLabel("Name for the new passkey (optional)").FillAsync("Blue key");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
            await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveCountAsync(2);
            await Assertions.Expect(Message(page)).ToContainTextAsync("Added \"Blue key\"");

            var blue = page.Locator("#passkeys > li.passkey", new() { HasText = "Blue key" });
            await blue.GetByRole(AriaRole.Button, new() { Name = "Make default: Blue key" }).ClickAsync();
            await Assertions.Expect(blue.Locator(".badge")).ToHaveTextAsync("Default");

            // Rename the first one.
            var first = page.Locator("#passkeys > li.passkey", new() { HasText = "Passkey on this device" });
            await first.GetByRole(AriaRole.Button, new() { Name = "Rename Passkey on this device" }).ClickAsync();
            await page.GetByLabel("New name for Passkey on this device").FillAsync("My laptop");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Assertions.Expect(page.Locator("#passkeys .passkey-name")).ToHaveTextAsync(["My laptop", "Blue key"]);
            var renameSignal = await page.EvalJsonAsync("() => JSON.stringify(window.signals.find(s => s.m === 'signalCurrentUserDetails').args)");
            Assert.Equal(username, renameSignal.GetProperty("name").GetString());
            Assert.Equal("localhost", renameSignal.GetProperty("rpId").GetString());

            // Delete the security key one.
            await blue.GetByRole(AriaRole.Button, new() { Name = "Delete Blue key" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete passkey", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("#passkeys .passkey-name")).ToHaveTextAsync("My laptop");
            var deleteSignal = await page.EvalJsonAsync("() => JSON.stringify(window.signals.find(s => s.m === 'signalAllAcceptedCredentials').args)");
            Assert.Single(deleteSignal.GetProperty("allAcceptedCredentialIds").EnumerateArray());
            Assert.Equal(renameSignal.GetProperty("userId").GetString(), deleteSignal.GetProperty("userId").GetString());
            Assert.NotEqual(platformId, tab.AuthenticatorId);
        });
    }

    [BrowserFact]
    public async Task Deleting_a_passkey_signals_the_browser_and_a_deleted_passkey_is_refused_with_the_right_message()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Deleting_a_passkey_signals_the_browser_and_a_deleted_passkey_is_refused_with_the_right_message), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await SignUpAsync(page, NewUsername());
            Assert.Single(await tab.CredentialsAsync());

            // Deleted on the server behind the browser's back (say, from another device): the
            // authenticator still offers it.
            var status = await page.EvaluateAsync<int>("""
                async () => {
                  const s = JSON.parse(sessionStorage.getItem('passkeys-demo-session'));
                  const list = await (await fetch('/v1/tenants/default/me/credentials', { headers: { Authorization: 'Bearer ' + s.accessToken } })).json();
                  const r = await fetch('/v1/tenants/default/me/credentials/' + list.credentials[0].id, { method: 'DELETE', headers: { Authorization: 'Bearer ' + s.accessToken } });
                  return r.status;
                }
                """);
            Assert.Equal(204, status);
            // Signing out starts autofill on the sign-in page, and the virtual authenticator picks
            // the (dead) passkey at once, as a user choosing the suggestion would. This path is
            // deterministic; racing a button click against the pending autofill request was not
            // (Chromium sometimes completed the autofill, signalled the passkey away and then had
            // nothing left for the click).
            await SignOutAsync(page);
            await Assertions.Expect(Message(page)).ToHaveTextAsync("This passkey was removed from your account, so we asked your browser to forget it. Sign in with another passkey, or use a recovery code.");
            await Assertions.Expect(Message(page)).ToHaveAttributeAsync("data-reason", "passkey-removed");
            await Assertions.Expect(Message(page)).ToHaveAttributeAsync("data-code", "CredentialNotFound");
            Assert.EndsWith("/?signedout=1", page.Url, StringComparison.Ordinal);
            // signalUnknownCredential: the browser forgot the dead passkey.
            Assert.Empty(await tab.CredentialsAsync());
        });
    }

    [BrowserFact]
    public async Task Deleting_the_last_passkey_in_the_account_page_removes_it_from_the_authenticator()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Deleting_the_last_passkey_in_the_account_page_removes_it_from_the_authenticator), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await SignUpAsync(page, NewUsername());
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete Passkey on this device" }).ClickAsync();
            await Assertions.Expect(page.Locator(".confirm")).ToContainTextAsync("your only passkey");
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete passkey", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#passkeys")).ToContainTextAsync("You have no passkeys");
            // signalAllAcceptedCredentials with an empty list: the authenticator drops it.
            Assert.Empty(await tab.CredentialsAsync());
        });
    }

    [BrowserFact]
    public async Task Recovery_codes_are_shown_once_and_redeem_to_a_new_passkey()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Recovery_codes_are_shown_once_and_redeem_to_a_new_passkey), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            var username = NewUsername();
            await SignUpAsync(page, username);
            await page.GetByRole(AriaRole.Button, new() { Name = "Generate recovery codes" }).ClickAsync();
            var codes = page.Locator("#recovery-codes code");
            await Assertions.Expect(codes).ToHaveCountAsync(10);
            var code = (await codes.First.TextContentAsync())!.Trim();
            Assert.Matches(CodeShape(), code);
            await page.GetByRole(AriaRole.Button, new() { Name = "I've saved them" }).ClickAsync();
            await Assertions.Expect(codes).ToHaveCountAsync(0);

            // The device is lost: a new, empty authenticator (so autofill has nothing to offer).
            await tab.RemoveAuthenticatorAsync();
            await tab.AddAuthenticatorAsync(AuthenticatorOptions.Platform);
            await SignOutAsync(page);
            var recovery = page.Locator("#recovery-form");
            await recovery.GetByLabel("Username").FillAsync(username);
            await recovery.GetByLabel("Recovery code").FillAsync(code.ToLowerInvariant());
            await page.GetByRole(AriaRole.Button, new() { Name = "Use recovery code" }).ClickAsync();
            await page.WaitForURLAsync("**/account.html?recovered=1");
            await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#passkeys .passkey-name")).ToContainTextAsync(["Recovered passkey"]);

            // A spent code doesn't work twice.
            await tab.RemoveAuthenticatorAsync();
            await tab.AddAuthenticatorAsync(AuthenticatorOptions.Platform);
            await SignOutAsync(page);
            await recovery.GetByLabel("Username").FillAsync(username);
            await recovery.GetByLabel("Recovery code").FillAsync(code);
            await page.GetByRole(AriaRole.Button, new() { Name = "Use recovery code" }).ClickAsync();
            await Assertions.Expect(Message(page)).ToHaveAttributeAsync("data-code", "RecoveryCodeInvalid");
            await Assertions.Expect(Message(page)).ToContainTextAsync("recovery code didn't work");
        });
    }

    [GeneratedRegex("^[0-9A-Z]{4}(-[0-9A-Z]{4})+$")]
    private static partial Regex CodeShape();

    [BrowserFact]
    public async Task A_taken_username_is_explained()
    {
        await using var tab = await fixture.NewTabAsync(nameof(A_taken_username_is_explained), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            var username = NewUsername();
            await SignUpAsync(page, username);
            // Keep the sign-in page's autofill from signing straight back in while we leave it.
            await tab.SetPresenceSimulationAsync(false);
            await SignOutAsync(page);
            await page.GotoAsync("/signup.html");
            await page.GetByLabel("Choose a username").FillAsync(username);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account with a passkey" }).ClickAsync();
            await Assertions.Expect(Message(page)).ToHaveAttributeAsync("data-code", "UsernameTaken");
            await Assertions.Expect(Message(page)).ToContainTextAsync("already taken");
        });
    }

    [BrowserFact]
    public async Task The_demo_works_on_the_fallback_path_without_native_JSON_methods()
    {
        await using var tab = await fixture.NewTabAsync(nameof(The_demo_works_on_the_fallback_path_without_native_JSON_methods), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await page.AddInitScriptAsync("""
                delete PublicKeyCredential.parseCreationOptionsFromJSON;
                delete PublicKeyCredential.parseRequestOptionsFromJSON;
                delete PublicKeyCredential.prototype.toJSON;
                """);
            var username = NewUsername();
            await SignUpAsync(page, username);
            Assert.False(await page.EvaluateAsync<bool>("() => typeof PublicKeyCredential.prototype.toJSON === 'function'"));
            await SignOutAsync(page);
            await page.WaitForURLAsync("**/account.html");
            await Assertions.Expect(page.Locator("#whoami")).ToContainTextAsync(username);
        });
    }

    [BrowserFact]
    public async Task Sign_up_and_account_work_by_keyboard_on_a_phone_sized_viewport()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Sign_up_and_account_work_by_keyboard_on_a_phone_sized_viewport), AuthenticatorOptions.Platform, Viewport.Phone);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await page.GotoAsync("/signup.html");
            Assert.True(await FitsWidthAsync(page), "sign-up page scrolls sideways at 390 px");
            await page.GetByLabel("Choose a username").FocusAsync();
            await page.Keyboard.TypeAsync(NewUsername());
            await page.Keyboard.PressAsync("Enter"); // submits the form
            await page.WaitForURLAsync("**/account.html?welcome=1");
            await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveCountAsync(1);
            Assert.True(await FitsWidthAsync(page), "account page scrolls sideways at 390 px");

            // Rename by keyboard: Tab to the button, Enter, type, Enter.
            await page.GetByRole(AriaRole.Button, new() { Name = "Rename Passkey on this device" }).FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await page.Keyboard.TypeAsync("Phone");
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.Locator("#passkeys .passkey-name")).ToHaveTextAsync("Phone");

            // Every form control has an accessible name.
            var unlabeled = await page.EvaluateAsync<int>("""
                () => [...document.querySelectorAll('input, button, select, textarea')].filter(e => {
                  const name = e.labels?.length ? e.labels[0].textContent.trim() : (e.getAttribute('aria-label') || e.textContent.trim());
                  return !name; }).length
                """);
            Assert.Equal(0, unlabeled);
            await tab.SetPresenceSimulationAsync(false); // autofill must not sign straight back in
            await page.GotoAsync("/");
            Assert.True(await FitsWidthAsync(page), "sign-in page scrolls sideways at 390 px");
        });
    }

    private static Task<bool> FitsWidthAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");
}
