using Microsoft.Playwright;
using Passkeys.Browser.Tests.Infrastructure;

namespace Passkeys.Browser.Tests;

/// <summary>
/// The account page across access-token expiry, on a server of its own whose clock the test moves:
/// the page refreshes its session and goes on working, lists where the user is signed in, and its
/// "Sign out" revokes the session on the server (the refresh token is refused afterwards).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionDemoTests(BrowserFixture fixture)
{
    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }

    private const string Stored = "() => JSON.stringify(JSON.parse(sessionStorage.getItem('passkeys-demo-session')))";

    [BrowserFact]
    public async Task The_account_page_stays_signed_in_past_token_expiry_and_sign_out_revokes_the_session()
    {
        var time = new ManualTime();
        await using var server = await ServerHost.StartAsync(time);
        await using var tab = await fixture.NewTabAsync(nameof(The_account_page_stays_signed_in_past_token_expiry_and_sign_out_revokes_the_session),
            AuthenticatorOptions.Platform, server: server);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            var username = "user-" + Guid.NewGuid().ToString("N")[..10];
            await page.GotoAsync("/signup.html");
            await page.GetByLabel("Choose a username").FillAsync(username);
            await page.GetByLabel("This device").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account with a passkey" }).ClickAsync();
            await page.WaitForURLAsync("**/account.html?welcome=1");
            var sessions = page.Locator("#sessions > li.session");
            await Assertions.Expect(sessions).ToHaveCountAsync(1);
            await Assertions.Expect(sessions.Locator(".badge")).ToHaveTextAsync("This session");
            await Assertions.Expect(sessions.Locator(".session-name")).ToHaveTextAsync("Chrome on Linux");
            var before = await page.EvalJsonAsync(Stored);

            // Six minutes later on the server: the 5-minute access token has expired there (the
            // browser's clock has not moved, so only the server's 401 TokenExpired can tell).
            time.Advance(TimeSpan.FromMinutes(6));
            await page.GetByRole(AriaRole.Button, new() { Name = "Generate recovery codes" }).ClickAsync();
            await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
            await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("");
            var after = await page.EvalJsonAsync(Stored);
            Assert.Equal(before.GetProperty("sessionId").GetString(), after.GetProperty("sessionId").GetString());
            Assert.NotEqual(before.GetProperty("refreshToken").GetString(), after.GetProperty("refreshToken").GetString());
            Assert.NotEqual(before.GetProperty("accessToken").GetString(), after.GetProperty("accessToken").GetString());

            // A reload after another expiry still lands signed in, with the lists filled.
            time.Advance(TimeSpan.FromMinutes(6));
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveCountAsync(1);
            await Assertions.Expect(sessions).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("#whoami")).ToContainTextAsync(username);

            // Sign out revokes the session on the server: its refresh token no longer works.
            var last = (await page.EvalJsonAsync(Stored)).GetProperty("refreshToken").GetString();
            // Keep the sign-in page's autofill from signing straight back in (and navigating away).
            await tab.SetPresenceSimulationAsync(false);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.WaitForURLAsync("**/?signedout=1");
            Assert.Equal("null", await page.EvaluateAsync<string>("() => String(sessionStorage.getItem('passkeys-demo-session'))"));
            var refused = await page.EvalJsonAsync("""
                async (refreshToken) => {
                  const r = await fetch('/v1/tenants/default/sessions/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
                  return JSON.stringify({ status: r.status, code: (await r.json()).code });
                }
                """, last);
            Assert.Equal(401, refused.GetProperty("status").GetInt32());
            Assert.Equal(1020, refused.GetProperty("code").GetInt32()); // SessionRevoked
        });
    }
}
