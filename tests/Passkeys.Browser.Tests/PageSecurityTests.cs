using System.Text.Json;
using Microsoft.Playwright;
using Passkeys.Browser.Tests.Infrastructure;

namespace Passkeys.Browser.Tests;

/// <summary>
/// The pages' security headers (issue 10, "Browser pages"): a strict CSP, no framing, nosniff and a
/// referrer policy, on every page; and the pages still work under them, with no CSP violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PageSecurityTests(BrowserFixture fixture)
{
    private static readonly string[] Pages = ["/", "/index.html", "/signup.html", "/account.html", "/404.html"];

    [BrowserFact]
    public async Task Every_page_sends_a_strict_CSP_frame_protection_nosniff_and_a_referrer_policy()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Every_page_sends_a_strict_CSP_frame_protection_nosniff_and_a_referrer_policy));
        await tab.RunAsync(async () =>
        {
            foreach (var path in Pages.Append("/nope"))
            {
                var response = (await tab.Page.GotoAsync(path))!;
                var headers = await response.AllHeadersAsync();
                var csp = headers.GetValueOrDefault("content-security-policy") ?? "";
                var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .ToDictionary(d => d.Split(' ')[0], d => d[(d.Split(' ')[0].Length)..].Trim());
                Assert.True(directives.ContainsKey("script-src"), $"{path}: no script-src in CSP '{csp}'");
                Assert.Equal("'self'", directives["script-src"]);
                Assert.Equal("'self'", directives["style-src"]);
                Assert.Equal("'none'", directives["frame-ancestors"]);
                Assert.Equal("'none'", directives["base-uri"]);
                Assert.Equal("'none'", directives["object-src"]);
                Assert.Equal("'none'", directives["default-src"]);
                Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
                Assert.Equal("DENY", headers.GetValueOrDefault("x-frame-options"));
                Assert.Equal("nosniff", headers.GetValueOrDefault("x-content-type-options"));
                Assert.Equal("strict-origin-when-cross-origin", headers.GetValueOrDefault("referrer-policy"));
            }
        });
    }

    [BrowserFact]
    public async Task Every_form_in_the_pages_posts_so_a_submission_before_the_script_never_puts_its_fields_in_the_address()
    {
        // A click before the page's module has wired a form submits it natively: with the default
        // GET, the recovery code or the username would land in the address bar, history and logs.
        await using var tab = await fixture.NewTabAsync(nameof(Every_form_in_the_pages_posts_so_a_submission_before_the_script_never_puts_its_fields_in_the_address));
        await tab.RunAsync(async () =>
        {
            var forms = 0;
            foreach (var path in Pages)
            {
                var html = await (await tab.Page.APIRequest.GetAsync(path)).TextAsync(); // the page as served, before any script ran
                foreach (System.Text.RegularExpressions.Match form in System.Text.RegularExpressions.Regex.Matches(html, "<form\\b[^>]*>"))
                {
                    forms++;
                    Assert.True(form.Value.Contains("method=\"post\"", StringComparison.Ordinal), $"{path}: {form.Value} does not post");
                }
            }
            Assert.True(forms >= 5, $"only {forms} forms found in the pages");
        });
    }

    [BrowserFact]
    public async Task The_SDK_and_styles_are_nosniff_and_the_SDK_carries_no_frame_or_CSP_rule()
    {
        await using var tab = await fixture.NewTabAsync(nameof(The_SDK_and_styles_are_nosniff_and_the_SDK_carries_no_frame_or_CSP_rule));
        await tab.RunAsync(async () =>
        {
            foreach (var path in new[] { "/sdk/passkeys.js", "/app.css", "/js/common.js" })
            {
                var response = await tab.Page.APIRequest.GetAsync(path);
                Assert.Equal(200, response.Status);
                Assert.Equal("nosniff", response.Headers.GetValueOrDefault("x-content-type-options"));
                // Importable from an app's own origin: no CSP and no frame rule on script files.
                Assert.False(response.Headers.ContainsKey("content-security-policy"), path);
                Assert.False(response.Headers.ContainsKey("x-frame-options"), path);
            }
        });
    }

    [BrowserFact]
    public async Task No_page_can_frame_the_account_page()
    {
        await using var tab = await fixture.NewTabAsync(nameof(No_page_can_frame_the_account_page));
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            // frame-ancestors 'none' and X-Frame-Options DENY refuse every parent, this site's own
            // included; a parent on the same origin is the one Chromium here lets load without them
            // (a cross-origin localhost parent is refused by Chromium for other reasons).
            var origin = fixture.Server.Origin;
            await page.RouteAsync(origin + "/framer", route => route.FulfillAsync(new()
            {
                ContentType = "text/html",
                Body = $"<!doctype html><iframe id=f src=\"{fixture.Server.Origin}/account.html\"></iframe>",
            }));
            await page.GotoAsync(origin + "/framer");
            await page.WaitForTimeoutAsync(1000);
            // The account page sends a signed-out visitor on to "/", so look for any of our pages in
            // any frame: blocked, the frame holds Chromium's error page instead.
            var loaded = false;
            foreach (var frame in page.Frames.Where(f => f != page.MainFrame))
            {
                try
                {
                    loaded |= await frame.EvaluateAsync<bool>("() => document.querySelector('h1')?.textContent === 'Passkeys demo'");
                }
                catch (PlaywrightException)
                {
                    // an error page or a frame gone: not loaded
                }
            }
            Assert.False(loaded, "the account page loaded inside a frame");
        });
    }

    [BrowserFact]
    public async Task The_pages_work_under_the_policy_with_no_violation_reported()
    {
        await using var tab = await fixture.NewTabAsync(nameof(The_pages_work_under_the_policy_with_no_violation_reported), AuthenticatorOptions.Platform);
        var console = new List<string>();
        tab.Page.Console += (_, m) => { if (m.Type is "error") console.Add(m.Text); };
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            // Recorded across navigations: every securitypolicyviolation event of every page.
            await page.AddInitScriptAsync("""
                document.addEventListener('securitypolicyviolation', (e) => {
                  const all = JSON.parse(sessionStorage.getItem('csp-violations') ?? '[]');
                  all.push(`${e.violatedDirective} ${e.blockedURI} ${location.pathname}`);
                  sessionStorage.setItem('csp-violations', JSON.stringify(all));
                });
                """);
            await page.GotoAsync("/signup.html");
            await page.GetByLabel("Choose a username").FillAsync("csp-" + Guid.NewGuid().ToString("N")[..8]);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account with a passkey" }).ClickAsync();
            await page.WaitForURLAsync("**/account.html?welcome=1");
            await Assertions.Expect(page.Locator("#passkeys > li.passkey")).ToHaveCountAsync(1);
            await page.GetByLabel("Amount (EUR)").FillAsync("5");
            await page.GetByLabel("To", new() { Exact = true }).FillAsync("Ann");
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm transfer with passkey" }).ClickAsync();
            await Assertions.Expect(page.Locator("#transfer-result")).ToContainTextAsync("Confirmed");
            await page.GotoAsync("/nope");
            await page.GotoAsync("/");
            await page.WaitForURLAsync("**/account.html"); // autofill signs in again: the sign-in page ran too
            var violations = await page.EvaluateAsync<string>("() => sessionStorage.getItem('csp-violations') ?? '[]'");
            Assert.Equal("[]", violations);
            Assert.DoesNotContain(console, c => c.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        });
    }

    [BrowserFact]
    public async Task A_missing_page_is_a_page_for_people_and_problem_JSON_for_the_API()
    {
        await using var tab = await fixture.NewTabAsync(nameof(A_missing_page_is_a_page_for_people_and_problem_JSON_for_the_API));
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            var response = (await page.GotoAsync("/nope"))!;
            Assert.Equal(404, response.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();

            // fetch() from script and API paths keep the problem details document.
            var api = await page.EvalJsonAsync("""
                async () => {
                  const a = await fetch('/nope');
                  const b = await fetch('/v1/tenants/default/nope', { headers: { Accept: 'text/html' } });
                  return JSON.stringify({ a: a.status, at: a.headers.get('content-type'), b: b.status, bt: b.headers.get('content-type') });
                }
                """);
            Assert.Equal(404, api.GetProperty("a").GetInt32());
            Assert.StartsWith("application/problem+json", api.GetProperty("at").GetString(), StringComparison.Ordinal);
            Assert.Equal(404, api.GetProperty("b").GetInt32());
            Assert.StartsWith("application/problem+json", api.GetProperty("bt").GetString(), StringComparison.Ordinal);
        });
    }
}
