using Microsoft.Playwright;
using Passkeys.Browser.Tests.Infrastructure;

namespace Passkeys.Browser.Tests;

/// <summary>
/// The end user's pages (issue 15): each defect found, the safety net after sign-up and recovery,
/// and errors explained by cause with a next step.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class UserPagesTests(BrowserFixture fixture)
{
    private static string NewUsername() => "user-" + Guid.NewGuid().ToString("N")[..10];

    private static ILocator Message(IPage page) => page.Locator("#message");

    private static async Task SignUpAsync(IPage page, string username, string where = "This device", string? displayName = null)
    {
        await page.GotoAsync("/signup.html");
        await page.GetByLabel("Choose a username").FillAsync(username);
        if (displayName is not null) await page.GetByLabel("Your name (optional)").FillAsync(displayName);
        await page.GetByLabel(where).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account with a passkey" }).ClickAsync();
        await page.WaitForURLAsync("**/account.html?welcome=1");
        await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveCountAsync(1);
    }

    [BrowserFact]
    public async Task A_username_in_other_capitals_is_the_same_account()
    {
        await using var tab = await fixture.NewTabAsync(nameof(A_username_in_other_capitals_is_the_same_account), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            var username = NewUsername();
            await SignUpAsync(page, username);
            // Keep the sign-in page's autofill from signing straight back in while we leave it.
            await tab.SetPresenceSimulationAsync(false);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.WaitForURLAsync("**/?signedout=1");
            await page.GotoAsync("/signup.html");
            // The page says what a username may be, capitals included.
            await Assertions.Expect(page.Locator("#username-hint")).ToContainTextAsync("Capital letters don't matter");
            await page.GetByLabel("Choose a username").FillAsync(username.ToUpperInvariant());
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account with a passkey" }).ClickAsync();
            await Assertions.Expect(Message(page)).ToHaveAttributeAsync("data-code", "UsernameTaken");
            await Assertions.Expect(Message(page)).ToContainTextAsync("already taken");
        });
    }

    [BrowserFact]
    public async Task Add_a_passkey_right_after_sign_up_works_with_its_preselected_choice()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Add_a_passkey_right_after_sign_up_works_with_its_preselected_choice), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await SignUpAsync(page, NewUsername());
            await tab.AddAuthenticatorAsync(AuthenticatorOptions.SecurityKey);
            // No change to the form: the default must be a device other than this one.
            await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
            await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveCountAsync(2);
            await Assertions.Expect(Message(page)).Not.ToHaveClassAsync("message error");
            // The success message takes focus, so a screen reader hears it.
            Assert.Equal("message", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        });
    }

    [BrowserFact]
    public async Task A_security_key_passkey_is_shown_as_kept_on_that_key_not_on_this_device()
    {
        await using var tab = await fixture.NewTabAsync(nameof(A_security_key_passkey_is_shown_as_kept_on_that_key_not_on_this_device), AuthenticatorOptions.SecurityKey);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await SignUpAsync(page, NewUsername(), "A phone or security key");
            await Assertions.Expect(page.Locator("#passkeys .sync")).ToHaveTextAsync("Only on this security key");
        });
    }

    [BrowserFact]
    public async Task After_a_cancelled_prompt_for_an_unknown_username_the_advice_includes_creating_an_account()
    {
        // A platform authenticator, as the fake credentials for unknown names now carry the transports
        // of real passkeys (internal, hybrid): Chromium asks it, it has no such passkey and refuses.
        await using var tab = await fixture.NewTabAsync(nameof(After_a_cancelled_prompt_for_an_unknown_username_the_advice_includes_creating_an_account), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await page.GotoAsync("/");
            await page.Locator("#signin-form").GetByLabel("Username").FillAsync("nobody-" + Guid.NewGuid().ToString("N")[..8]);
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Assertions.Expect(Message(page)).ToHaveClassAsync("message error");
            await Assertions.Expect(Message(page)).ToContainTextAsync("create an account", new() { IgnoreCase = true });
            // The error has the focus and the button is usable again.
            Assert.Equal("message", await page.EvaluateAsync<string>("() => document.activeElement.id"));
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Continue" })).ToBeEnabledAsync();
        });
    }

    [BrowserFact]
    public async Task Replacing_recovery_codes_asks_first_and_the_count_survives_a_reload()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Replacing_recovery_codes_asks_first_and_the_count_survives_a_reload), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await SignUpAsync(page, NewUsername());
            await Assertions.Expect(page.Locator("#codes-status")).ToHaveTextAsync("You have no unused recovery codes.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Generate recovery codes" }).ClickAsync();
            await Assertions.Expect(page.Locator("#recovery-codes code")).ToHaveCountAsync(10);
            var first = (await page.Locator("#recovery-codes code").AllTextContentsAsync()).ToList();
            Assert.Equal(10, first.Count);

            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("#codes-status")).ToContainTextAsync("You have 10 unused recovery codes");
            await Assertions.Expect(page.Locator("#protection")).ToContainTextAsync("10 recovery codes left");

            // Replacing asks first; "Keep my codes" keeps them.
            await page.GetByRole(AriaRole.Button, new() { Name = "Replace with new codes" }).ClickAsync();
            await Assertions.Expect(page.Locator("#codes-confirm")).ToContainTextAsync("Replace your 10 unused recovery codes?");
            await Assertions.Expect(page.Locator("#recovery-codes code")).ToHaveCountAsync(0);
            await page.GetByRole(AriaRole.Button, new() { Name = "Keep my codes" }).ClickAsync();
            await Assertions.Expect(page.Locator("#codes-confirm")).ToBeHiddenAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Replace with new codes" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Replace my codes" }).ClickAsync();
            await Assertions.Expect(page.Locator("#recovery-codes code")).ToHaveCountAsync(10);
            var second = await page.Locator("#recovery-codes code").AllTextContentsAsync();
            Assert.Empty(second.Intersect(first));
        });
    }

    [BrowserFact]
    public async Task Recovery_codes_can_be_copied_and_downloaded_and_never_wrap_or_touch_their_number()
    {
        foreach (var viewport in new[] { new Viewport(1280, 800), Viewport.Phone, new Viewport(320, 700) })
        {
            await using var tab = await fixture.NewTabAsync(nameof(Recovery_codes_can_be_copied_and_downloaded_and_never_wrap_or_touch_their_number), AuthenticatorOptions.Platform, viewport);
            await tab.RunAsync(async () =>
            {
                var page = tab.Page;
                await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
                await SignUpAsync(page, NewUsername());
                await page.GetByRole(AriaRole.Button, new() { Name = "Generate recovery codes" }).ClickAsync();
                await Assertions.Expect(page.Locator("#recovery-codes code")).ToHaveCountAsync(10);
                var layout = await page.EvaluateAsync<string>("""
                    () => [...document.querySelectorAll('#recovery-codes li')].map(li => {
                      const n = li.querySelector('.code-number').getBoundingClientRect();
                      const c = li.querySelector('code');
                      const r = c.getBoundingClientRect();
                      const bad = [];
                      if (c.getClientRects().length !== 1 || r.height > parseFloat(getComputedStyle(c).lineHeight || '24') * 1.5 + 4) bad.push('wraps');
                      if (r.left < n.right) bad.push('touches its number');
                      if (r.right > document.documentElement.clientWidth) bad.push('overflows');
                      return bad.length ? `${c.textContent}: ${bad.join(', ')}` : '';
                    }).filter(Boolean).join('; ')
                    """);
                Assert.True(layout.Length == 0, $"{viewport.Width} px: {layout}");

                var codes = await page.Locator("#recovery-codes code").AllTextContentsAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Copy codes" }).ClickAsync();
                var clipboard = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
                Assert.All(codes, c => Assert.Contains(c, clipboard, StringComparison.Ordinal));

                var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download codes" }).ClickAsync());
                var path = await download.PathAsync();
                var text = await File.ReadAllTextAsync(path!);
                Assert.All(codes, c => Assert.Contains(c, text, StringComparison.Ordinal));
                Assert.EndsWith(".txt", download.SuggestedFilename, StringComparison.Ordinal);
            });
        }
    }

    [BrowserFact]
    public async Task Double_clicking_rename_or_delete_opens_one_form()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Double_clicking_rename_or_delete_opens_one_form), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await SignUpAsync(page, NewUsername());
            await page.GetByRole(AriaRole.Button, new() { Name = "Rename Passkey on this device" }).DblClickAsync();
            await Assertions.Expect(page.Locator(".rename-form")).ToHaveCountAsync(1);
            await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete Passkey on this device" }).DblClickAsync();
            await Assertions.Expect(page.Locator(".confirm")).ToHaveCountAsync(1);
            var duplicateIds = await page.EvaluateAsync<int>("() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id); return ids.length - new Set(ids).size; }");
            Assert.Equal(0, duplicateIds);
        });
    }

    [BrowserFact]
    public async Task The_account_page_copy_is_right_for_a_new_account()
    {
        await using var tab = await fixture.NewTabAsync(nameof(The_account_page_copy_is_right_for_a_new_account), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            var username = NewUsername();
            await page.GotoAsync("/signup.html");
            // The hint names every character the check allows.
            var hint = await page.Locator("#username-hint").TextContentAsync();
            foreach (var part in new[] { "letters", "digits", "dots (.)", "dashes (-)", "underscores (_)", "Capital letters don't matter" })
            {
                Assert.Contains(part, hint, StringComparison.Ordinal);
            }
            // A stale error code does not stay on a later success message.
            await page.GetByLabel("Choose a username").FillAsync("bad name");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account with a passkey" }).ClickAsync();
            await Assertions.Expect(Message(page)).ToHaveClassAsync("message error");
            await SignUpAsync(page, username);

            await Assertions.Expect(page.Locator("#whoami")).ToHaveTextAsync($"Signed in as {username}.");
            await Assertions.Expect(page.Locator("#passkeys .last-used")).Not.ToHaveTextAsync("Never");
            await Assertions.Expect(page.Locator("#passkeys .make-default")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#passkeys .badge")).ToHaveCountAsync(0);

            // A later success clears the earlier error's code.
            await page.Locator("#add-form").GetByLabel("This device").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync(); // this device has one: an error
            await Assertions.Expect(Message(page)).ToHaveAttributeAsync("data-code", new System.Text.RegularExpressions.Regex(".+"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Rename Passkey on this device" }).ClickAsync();
            await page.GetByLabel("New name for Passkey on this device").FillAsync("Laptop");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Assertions.Expect(Message(page)).ToHaveTextAsync("Renamed to \"Laptop\".");
            Assert.Null(await Message(page).GetAttributeAsync("data-code"));
        });
    }

    [BrowserFact]
    public async Task Make_default_buttons_have_their_visible_text_in_their_accessible_name()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Make_default_buttons_have_their_visible_text_in_their_accessible_name), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await SignUpAsync(page, NewUsername());
            await tab.AddAuthenticatorAsync(AuthenticatorOptions.SecurityKey);
            await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
            await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveCountAsync(2);
            var mismatched = await page.EvaluateAsync<string>("""
                () => [...document.querySelectorAll('#passkeys button, #sessions button')]
                  .filter(b => b.getAttribute('aria-label') && !b.getAttribute('aria-label').toLowerCase().includes(b.textContent.trim().toLowerCase()))
                  .map(b => `${b.textContent} / ${b.getAttribute('aria-label')}`).join('; ')
                """);
            Assert.True(mismatched.Length == 0, mismatched);
            await Assertions.Expect(page.Locator("#passkeys .make-default")).Not.ToHaveCountAsync(0);
        });
    }

    [BrowserFact]
    public async Task After_a_recovery_the_page_guides_to_a_new_passkey_and_new_codes()
    {
        await using var tab = await fixture.NewTabAsync(nameof(After_a_recovery_the_page_guides_to_a_new_passkey_and_new_codes), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            var username = NewUsername();
            await SignUpAsync(page, username);
            await Assertions.Expect(page.Locator("#next-steps")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Make recovery codes" }).ClickAsync();
            await Assertions.Expect(page.Locator("#recovery-codes code")).ToHaveCountAsync(10);
            var code = (await page.Locator("#recovery-codes code").First.TextContentAsync())!;
            await tab.RemoveAuthenticatorAsync();
            await tab.AddAuthenticatorAsync(AuthenticatorOptions.Platform);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.WaitForURLAsync("**/?signedout=1");
            var recovery = page.Locator("#recovery-form");
            await recovery.GetByLabel("Username").FillAsync(username);
            await recovery.GetByLabel("Recovery code").FillAsync(code);
            await page.GetByRole(AriaRole.Button, new() { Name = "Use recovery code" }).ClickAsync();
            await page.WaitForURLAsync("**/account.html?recovered=1");
            await Assertions.Expect(page.Locator("#next-steps")).ToContainTextAsync("You used a recovery code");
            await Assertions.Expect(page.Locator("#codes-status")).ToContainTextAsync("9 unused recovery codes");
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add another passkey" })).ToBeVisibleAsync();
        });
    }

    [BrowserFact]
    public async Task A_browser_without_passkeys_is_told_so_with_what_to_do()
    {
        await using var tab = await fixture.NewTabAsync(nameof(A_browser_without_passkeys_is_told_so_with_what_to_do));
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await page.AddInitScriptAsync("delete window.PublicKeyCredential;");
            await page.GotoAsync("/");
            await Assertions.Expect(page.Locator("#unsupported")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" })).ToBeDisabledAsync();
            var reason = await page.EvaluateAsync<string>("async () => { const m = await import('/sdk/passkeys.js'); try { await m.startAuthentication({ challenge: 'AAAA' }); } catch (e) { return e.reason; } }");
            Assert.Equal("unsupported-browser", reason);
        });
    }

    [BrowserFact]
    public async Task The_SDK_maps_each_browser_and_server_failure_to_its_reason()
    {
        await using var tab = await fixture.NewTabAsync(nameof(The_SDK_maps_each_browser_and_server_failure_to_its_reason));
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await page.GotoAsync("/404.html");
            var reasons = await page.EvalJsonAsync("""
                async () => {
                  const sdk = await import('/sdk/passkeys.js');
                  const dom = (name) => new DOMException('x', name);
                  const b = (name, context) => sdk.toPasskeyError(dom(name), context).reason;
                  const s = (error, status) => sdk.PasskeyError.fromProblem({ error, status }, status).reason;
                  return JSON.stringify({
                    signInInstant: b('NotAllowedError', { ceremony: 'authentication', purpose: 'sign-in', elapsedMs: 120, timeoutMs: 300000 }),
                    signInClosed: b('NotAllowedError', { ceremony: 'authentication', purpose: 'sign-in', elapsedMs: 4000, timeoutMs: 300000 }),
                    signInTimedOut: b('NotAllowedError', { ceremony: 'authentication', purpose: 'sign-in', elapsedMs: 299500, timeoutMs: 300000 }),
                    stepUpInstant: b('NotAllowedError', { ceremony: 'authentication', purpose: 'step-up', elapsedMs: 120 }),
                    createInstant: b('NotAllowedError', { ceremony: 'registration', elapsedMs: 120 }),
                    timeoutError: b('TimeoutError', {}),
                    invalidState: b('InvalidStateError', { ceremony: 'registration' }),
                    constraint: b('ConstraintError', {}),
                    security: b('SecurityError', {}),
                    abort: b('AbortError', {}),
                    removed: s('CredentialNotFound', 400),
                    suspended: s('SignCountRegression', 400),
                    unknownAccount: s('UserNotFound', 404),
                    taken: s('UsernameTaken', 409),
                    code: s('RecoveryCodeInvalid', 400),
                    limited: s('RateLimited', 429),
                    ended: s('SessionRevoked', 401),
                    expired: s('CeremonyNotFound', 400),
                    unreachable: new sdk.PasskeyError(sdk.ErrorCode.NetworkError, 'x').reason,
                    unsupported: new sdk.PasskeyError(sdk.ErrorCode.PasskeysUnsupported, 'x').reason,
                    disabled: s('CredentialDisabled', 400),
                    // A suspended passkey still exists on the server: the browser must not be told to forget it.
                    disabledSignalled: String(sdk.isUnknownCredentialError(sdk.PasskeyError.fromProblem({ error: 'CredentialDisabled' }, 400))),
                  });
                }
                """);
            var expected = new Dictionary<string, string>
            {
                ["signInInstant"] = "no-passkey-on-device", ["signInClosed"] = "cancelled", ["signInTimedOut"] = "timed-out",
                ["stepUpInstant"] = "cancelled", ["createInstant"] = "cancelled", ["timeoutError"] = "timed-out",
                ["invalidState"] = "already-registered", ["constraint"] = "no-user-verification", ["security"] = "wrong-address",
                ["abort"] = "aborted", ["removed"] = "passkey-removed", ["suspended"] = "passkey-suspended",
                ["unknownAccount"] = "unknown-account", ["taken"] = "username-taken", ["code"] = "recovery-code-invalid",
                ["limited"] = "rate-limited", ["ended"] = "session-ended", ["expired"] = "request-expired",
                ["unreachable"] = "server-unreachable", ["unsupported"] = "unsupported-browser",
                ["disabled"] = "passkey-suspended", ["disabledSignalled"] = "false",
            };
            foreach (var (key, reason) in expected)
            {
                Assert.True(reason == reasons.GetProperty(key).GetString(), $"{key}: expected {reason}, got {reasons.GetProperty(key)}");
            }
        });
    }

    [BrowserFact]
    public async Task A_suspended_passkey_is_explained_truly_by_what_the_server_said()
    {
        await using var tab = await fixture.NewTabAsync(nameof(A_suspended_passkey_is_explained_truly_by_what_the_server_said));
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await page.GotoAsync("/404.html");
            var said = await page.EvalJsonAsync("""
                async () => {
                  const sdk = await import('/sdk/passkeys.js');
                  const { messageFor } = await import('/js/messages.js');
                  const p = (error, code, status, detail) => sdk.PasskeyError.fromProblem({ error, code, status, detail }, status);
                  const clone = p('CredentialSuspended', 1100, 403, 'For your safety this passkey was turned off because a copy of it may exist. Sign in with another passkey or a recovery code.');
                  const operator = p('CredentialSuspended', 1100, 403, 'This passkey was turned off by the site. Sign in with another passkey or a recovery code.');
                  const refusedOnce = p('SignCountRegression', 219, 400, 'x');
                  return JSON.stringify({
                    reason: clone.reason, forgets: String(sdk.isUnknownCredentialError(clone)),
                    clone: messageFor(clone, 'sign-in'), operator: messageFor(operator, 'sign-in'), refusedOnce: messageFor(refusedOnce, 'sign-in'),
                  });
                }
                """);
            Assert.Equal("passkey-suspended", said.GetProperty("reason").GetString());
            Assert.Equal("false", said.GetProperty("forgets").GetString()); // it still exists: the browser keeps it
            Assert.Equal("For your safety this passkey was turned off because a copy of it may exist. Sign in with another passkey or a recovery code.",
                said.GetProperty("clone").GetString());
            Assert.Equal("This passkey was turned off by the site. Sign in with another passkey or a recovery code.", said.GetProperty("operator").GetString());
            // Refused once (cloneDetection "ignore"): nothing was turned off, and the message does not say so.
            Assert.DoesNotContain("turned off", said.GetProperty("refusedOnce").GetString(), StringComparison.Ordinal);
        });
    }

    [BrowserFact]
    public async Task Each_reason_has_one_message_with_a_next_step_adapted_to_phone_or_desktop()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Each_reason_has_one_message_with_a_next_step_adapted_to_phone_or_desktop));
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await page.GotoAsync("/404.html");
            const string script = """
                async (phone) => {
                  if (phone) Object.defineProperty(navigator, 'userAgent', { value: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile' });
                  Object.defineProperty(navigator, 'userAgentData', { value: undefined });
                  const sdk = await import('/sdk/passkeys.js');
                  const { messageFor } = await import('/js/messages.js');
                  const out = {};
                  for (const reason of Object.values(sdk.Reason)) {
                    out[reason] = messageFor(new sdk.PasskeyError('x', 'sdk message', { reason }), 'sign-in-username');
                  }
                  return JSON.stringify(out);
                }
                """;
            var desktop = await page.EvalJsonAsync(script, false);
            await page.ReloadAsync();
            var phone = await page.EvalJsonAsync(script, true);
            foreach (var reason in desktop.EnumerateObject())
            {
                if (reason.Name is "aborted" or "unknown" or "invalid-input") continue; // nothing to show / the server's own words
                var text = reason.Value.GetString()!;
                Assert.NotEqual("sdk message", text);
                Assert.Matches(@"(?i)try again|sign in|create an account|use |choose|check|open|set one up|start again|wait", text);
            }
            // Phone vs desktop: a computer is told to scan a QR code with a phone; a phone is not.
            Assert.Contains("QR code", desktop.GetProperty("no-passkey-on-device").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("QR code", phone.GetProperty("no-passkey-on-device").GetString(), StringComparison.Ordinal);
            Assert.Contains("QR code", desktop.GetProperty("cancelled").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("QR code", phone.GetProperty("cancelled").GetString(), StringComparison.Ordinal);
            Assert.Contains("create an account", desktop.GetProperty("cancelled").GetString(), StringComparison.OrdinalIgnoreCase);
        });
    }

    [BrowserFact]
    public async Task A_prompt_left_open_until_its_timeout_says_it_timed_out_not_cancelled()
    {
        // A server whose ceremonies time out after 4 s, and an authenticator nobody touches.
        await using var server = await ServerHost.StartAsync(null, "--Passkeys:Ceremonies:Timeout=00:00:04");
        await using var tab = await fixture.NewTabAsync(nameof(A_prompt_left_open_until_its_timeout_says_it_timed_out_not_cancelled), AuthenticatorOptions.Platform, server: server);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await SignUpAsync(page, NewUsername());
            await tab.SetPresenceSimulationAsync(false);
            await page.GetByLabel("Amount (EUR)").FillAsync("10");
            await page.GetByLabel("To", new() { Exact = true }).FillAsync("Ann");
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm transfer with passkey" }).ClickAsync();
            // While the prompt is open: a visible, announced state, and the button can't be pressed twice.
            await Assertions.Expect(Message(page)).ToHaveClassAsync("message progress");
            await Assertions.Expect(Message(page)).ToContainTextAsync("Waiting for your passkey");
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Confirm transfer with passkey" })).ToBeDisabledAsync();
            await Assertions.Expect(Message(page)).ToHaveAttributeAsync("data-reason", "timed-out", new() { Timeout = 15_000 });
            await Assertions.Expect(Message(page)).ToContainTextAsync("timed out");
            Assert.Equal("message", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        });
    }
}
