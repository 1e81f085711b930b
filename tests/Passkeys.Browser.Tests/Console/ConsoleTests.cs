using System.Text.Json;
using Microsoft.Playwright;
using Passkeys.Browser.Tests.Infrastructure;

namespace Passkeys.Browser.Tests.OperatorConsole;

/// <summary>
/// The operator console in real Chromium with virtual authenticators: bootstrap the first operator
/// with a passkey, invite a second in another browser context, administer tenants, API keys, users,
/// signing keys and the audit log, export CSV; CSRF, cookie flags and the idle timeout.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task An_operator_bootstraps_invites_and_administers_everything_from_the_console()
    {
        await using var server = await ConsoleSetup.StartAsync();
        await using var tab = await fixture.NewTabAsync(nameof(An_operator_bootstraps_invites_and_administers_everything_from_the_console),
            AuthenticatorOptions.Platform, new Viewport(1280, 900), server);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await ConsoleSetup.EnrolAsync(page, await ConsoleSetup.BootstrapAsync(server), "Ada");
            Assert.DoesNotContain("enrol=", page.Url, StringComparison.Ordinal); // the spent link's secret left the address bar

            // The session cookie: HttpOnly, SameSite=Strict; on plain http not Secure (and so no __Host- prefix).
            var cookie = (await tab.Context.CookiesAsync()).Single(c => c.Name == "passkeys-console");
            Assert.True(cookie.HttpOnly);
            Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
            Assert.False(cookie.Secure);
            Assert.Equal(-1, cookie.Expires); // a session cookie: the server decides when the session ends
            Assert.Equal("undefined", await page.EvaluateAsync<string>("() => String(document.cookie.match(/passkeys-console/)?.[0])"));

            // CSRF: the same cookie without the console's header changes nothing.
            var refused = await ConsoleSetup.JsonAsync(page, """
                async () => { const r = await fetch('/v1/admin/tenants', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                  body: JSON.stringify({ id: 'forged', rpId: 'localhost', rpName: 'X', origins: ['http://localhost'] }) });
                  return JSON.stringify({ status: r.status, code: (await r.json()).code }); }
                """);
            Assert.Equal(403, refused.GetProperty("status").GetInt32());
            Assert.Equal(1170, refused.GetProperty("code").GetInt32());

            // A tenant.
            var create = page.Locator("#tenant-create");
            await create.GetByLabel("Tenant id").FillAsync("shop");
            await create.GetByLabel("Relying party id (rpId)").FillAsync("localhost");
            await create.GetByLabel("Display name (rpName)").FillAsync("Shop");
            await create.GetByLabel("Web origins (one per line)").FillAsync(server.Origin);
            await create.GetByLabel("User verification").SelectOptionAsync("required");
            await create.GetByRole(AriaRole.Button, new() { Name = "Create tenant" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tenant shop" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("Tenant shop created.");
            await Assertions.Expect(page.Locator("#tenant-settings").GetByLabel("User verification")).ToHaveValueAsync("required");

            // An API key: its secret is shown once.
            await page.GotoAsync("/console/#/api-keys?tenant=shop");
            await page.GetByLabel("Name of the new key").FillAsync("backend");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
            var secret = (await page.Locator("#new-key-secret").TextContentAsync())!;
            Assert.StartsWith("pkk_", secret, StringComparison.Ordinal);
            await Assertions.Expect(page.Locator("table").GetByText("backend")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "I have stored it" }).ClickAsync();
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("table").GetByText("backend")).ToBeVisibleAsync();
            Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

            // A user made by the software authenticator: found, passkey suspended and reinstated, sessions ended.
            var userId = await ConsoleSetup.SignUpWithSoftwareAuthenticatorAsync(server, "mira");
            await page.GotoAsync("/console/#/users?tenant=default");
            await page.GetByLabel("Find a user by user id or username").FillAsync("mira");
            await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "mira" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "mira", Level = 1 })).ToBeVisibleAsync();
            var sessions = page.GetByRole(AriaRole.Table, new() { Name = "Active sessions" });
            await Assertions.Expect(sessions.Locator("tbody tr")).ToHaveCountAsync(1);
            await page.GetByRole(AriaRole.Button, new() { Name = "End all sessions" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "End sessions" }).ClickAsync();
            await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("1 session ended.");
            await Assertions.Expect(sessions.Locator("tbody")).ToContainTextAsync("No active session.");
            var card = page.Locator("#passkeys > li.passkey");
            await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "active");
            await card.GetByRole(AriaRole.Button, new() { NameRegex = new("^Suspend ") }).ClickAsync();
            await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "suspended");
            await Assertions.Expect(card).ToContainTextAsync("turned off by an operator");
            await card.GetByRole(AriaRole.Button, new() { NameRegex = new("^Reinstate ") }).ClickAsync();
            await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "active");
            await Assertions.Expect(page.Locator("#recovery-state")).ToHaveTextAsync("none left");

            // Signing keys: rotate.
            await page.GotoAsync("/console/#/signing-keys?tenant=default");
            var keys = page.GetByRole(AriaRole.Table, new() { Name = "Signing keys of default" }).Locator("tbody tr");
            await Assertions.Expect(keys).ToHaveCountAsync(1);
            await page.GetByRole(AriaRole.Button, new() { Name = "Rotate now" }).ClickAsync();
            await Assertions.Expect(keys).ToHaveCountAsync(2);
            await Assertions.Expect(keys.Filter(new() { HasText = "Retired" })).ToHaveCountAsync(1);

            // The audit log: filtered to the operator's own actions, which name the operator; then exported.
            await page.GotoAsync("/console/#/audit?tenant=default");
            await page.GetByLabel("Ceremony").SelectOptionAsync("admin");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply filter" }).ClickAsync();
            var rows = page.GetByRole(AriaRole.Table, new() { Name = "Audit events of default" }).Locator("tbody tr");
            await Assertions.Expect(rows).ToHaveCountAsync(4); // end sessions, suspend, reinstate, rotate
            foreach (var row in await rows.AllAsync())
            {
                await Assertions.Expect(row).ToContainTextAsync("operator:");
            }
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-export='audit-default']").ClickAsync());
            var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
            var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("Time,Type,Actor,Target,User id,Error or action,Browser,Address,Ceremony id,Id", lines[0]);
            // The CSV writer itself: quoting, and cells a spreadsheet would run as formulas neutralised.
            var quoted = await page.EvaluateAsync<string>("""
                async () => (await import('/console/js/csv.js')).toCsv(['v'], [['=1+2'], ['-3'], ['+4'], ['@SUM(A1)'], ['a,"b"'], ['two\nlines'], ['plain']])
                """);
            Assert.Equal("v\r\n'=1+2\r\n'-3\r\n'+4\r\n'@SUM(A1)\r\n\"a,\"\"b\"\"\"\r\n\"two\nlines\"\r\nplain\r\n", quoted);
            Assert.Equal(5, lines.Length);
            Assert.All(lines.Skip(1), l => Assert.Contains(",admin.succeeded,operator:", l, StringComparison.Ordinal));

            // Filtered by user and outcome, in the viewer's zone; then followed live.
            await page.GetByLabel("Ceremony").SelectOptionAsync("");
            await page.GetByLabel("User id").FillAsync(userId);
            await page.GetByLabel("Outcome").SelectOptionAsync("succeeded");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply filter" }).ClickAsync();
            await Assertions.Expect(rows).ToHaveCountAsync(4); // the sign-up, then the operator's end sessions, suspend and reinstate
            await page.GetByLabel("Follow live").CheckAsync();
            using (var http = new HttpClient { BaseAddress = new Uri(server.Origin) })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/admin/tenants/default/users/{userId}/credentials/x/suspend");
                request.Headers.Authorization = new("Bearer", ConsoleSetup.AdminKey);
                using var _ = await http.SendAsync(request); // a 404: nothing new for this filter
            }
            await ConsoleSetup.SignUpWithSoftwareAuthenticatorAsync(server, "noor");
            await page.GetByLabel("User id").FillAsync("");
            await page.GetByLabel("Outcome").SelectOptionAsync("succeeded");
            await page.GetByLabel("Ceremony").SelectOptionAsync("registration");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply filter" }).ClickAsync();
            await Assertions.Expect(rows).ToHaveCountAsync(2);
            await ConsoleSetup.SignUpWithSoftwareAuthenticatorAsync(server, "omar");
            await Assertions.Expect(rows).ToHaveCountAsync(3, new() { Timeout = 10_000 }); // appears without a click

            // A second operator, invited, enrols in another browser context.
            await page.GotoAsync("/console/#/operators");
            await page.GetByLabel("Who is it for? (optional)").FillAsync("Grace");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create invitation link" }).ClickAsync();
            var link = (await page.Locator("#invitation-link").TextContentAsync())!;
            await using (var other = await fixture.NewTabAsync("console-second-operator", AuthenticatorOptions.Platform, new Viewport(1280, 900), server))
            {
                await ConsoleSetup.EnrolAsync(other.Page, link, "Grace");
                await page.ReloadAsync();
                var operators = page.GetByRole(AriaRole.Table, new() { Name = "Operators" }).Locator("tbody tr");
                await Assertions.Expect(operators).ToHaveCountAsync(2);

                // Revoked: Grace is signed out at her next request.
                await page.GetByRole(AriaRole.Button, new() { Name = "Revoke Grace" }).ClickAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
                await Assertions.Expect(operators).ToHaveCountAsync(1);
                await other.Page.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
                await Assertions.Expect(other.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" })).ToBeVisibleAsync();

                // An invitation listed as pending, then cancelled: its link is refused as cancelled.
                var pending = page.GetByRole(AriaRole.Table, new() { Name = "Invitations not used yet" }).Locator("tbody tr");
                await Assertions.Expect(pending).ToHaveTextAsync(["No invitation is waiting to be used."]); // Grace's link was used
                await page.GetByLabel("Who is it for? (optional)").FillAsync("Lin");
                await page.GetByRole(AriaRole.Button, new() { Name = "Create invitation link" }).ClickAsync();
                var linLink = (await page.Locator("#invitation-link").TextContentAsync())!;
                await Assertions.Expect(pending).ToHaveCountAsync(1);
                await Assertions.Expect(pending).ToContainTextAsync("Lin");
                await Assertions.Expect(pending).ToContainTextAsync("Ada");
                await pending.GetByRole(AriaRole.Button, new() { Name = "Cancel invitation" }).ClickAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Keep it" }).ClickAsync(); // changed their mind: nothing happens
                await Assertions.Expect(pending).ToHaveCountAsync(1);
                await pending.GetByRole(AriaRole.Button, new() { Name = "Cancel invitation" }).ClickAsync();
                await pending.GetByRole(AriaRole.Group).GetByRole(AriaRole.Button, new() { Name = "Cancel invitation" }).ClickAsync();
                await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("The invitation (Lin) is cancelled: its link no longer works.");
                await Assertions.Expect(pending).ToHaveTextAsync(["No invitation is waiting to be used."]);
                await other.Page.GotoAsync(linLink);
                await other.Page.GetByLabel("Your name").FillAsync("Lin");
                await other.Page.GetByRole(AriaRole.Button, new() { Name = "Create my operator passkey" }).ClickAsync();
                await Assertions.Expect(other.Page.Locator("#message")).ToHaveAttributeAsync("data-code", "1177");
                await Assertions.Expect(other.Page.Locator("#message")).ToContainTextAsync("cancelled by an operator");
            }

            // The console's own log: who invited and who revoked, by operator id.
            await page.GotoAsync("/console/#/audit");
            await page.GetByLabel("Tenant").SelectOptionAsync(new SelectOptionValue { Label = "Console (operators)" });
            await page.GetByLabel("Ceremony").SelectOptionAsync("admin");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply filter" }).ClickAsync();
            var consoleLog = page.GetByRole(AriaRole.Table, new() { Name = "Audit events of the console" });
            await Assertions.Expect(consoleLog).ToContainTextAsync("POST /v1/admin/operators/invitations (note: Grace)");
            await Assertions.Expect(consoleLog).ToContainTextAsync("DELETE /v1/admin/operators/{operatorId}");
            await Assertions.Expect(consoleLog).ToContainTextAsync("POST /v1/admin/operators/bootstrap"); // the bootstrap, by the admin key (actor "admin")
            await Assertions.Expect(consoleLog).ToContainTextAsync("DELETE /v1/admin/operators/invitations/{invitationId}");

            // Sign out, and back in with the passkey.
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("You are signed out.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
            await Assertions.Expect(page.Locator("#operator-name")).ToHaveTextAsync("Signed in as Ada");
        }, seconds: 120);
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }

    [BrowserFact]
    public async Task The_console_signs_the_operator_out_after_the_idle_timeout()
    {
        var time = new ManualTime();
        await using var server = await ConsoleSetup.StartAsync(time, "--Passkeys:Console:IdleTimeout=00:01:00");
        await using var tab = await fixture.NewTabAsync(nameof(The_console_signs_the_operator_out_after_the_idle_timeout), AuthenticatorOptions.Platform, server: server);
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await ConsoleSetup.EnrolAsync(page, await ConsoleSetup.BootstrapAsync(server), "Ada");
            time.Advance(TimeSpan.FromSeconds(50));
            await page.GetByRole(AriaRole.Link, new() { Name = "Operators" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Operators", Level = 1 })).ToBeVisibleAsync();
            // The heading shows before the page's two reads (operators, invitations) come back; a read
            // still in flight when the clock jumps would end the session before the click under test.
            await Assertions.Expect(page.Locator("#pending-invitations")).ToContainTextAsync("No invitation is waiting to be used.");
            await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Operators" })).ToContainTextAsync("Ada");
            time.Advance(TimeSpan.FromSeconds(61));
            await page.GetByRole(AriaRole.Link, new() { Name = "Tenants" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#signin-title + p")).ToHaveTextAsync("Your session ended after a time without use. Sign in again.");
        });
    }
}
