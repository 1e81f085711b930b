using Microsoft.Playwright;

namespace Passkeys.Browser.Tests.Infrastructure;

/// <summary>
/// axe-core accessibility checks, injected from the test (never served by the server). axe-core is
/// installed by <c>npm ci</c> in tests/Passkeys.Browser.Tests/js (test.sh does it), at the version
/// pinned in its package-lock.json. It is evaluated through the DevTools protocol, which the
/// pages' Content-Security-Policy does not (and must not need to) allow.
/// </summary>
public static class Axe
{
    private static readonly Lazy<string> Source = new(() =>
    {
        var path = Path.Combine(BrowserEnvironment.RepositoryRoot, "tests", "Passkeys.Browser.Tests", "js", "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"axe-core is not installed ({path} is missing): run `npm ci` in tests/Passkeys.Browser.Tests/js (test.sh does this).");
        }
        return File.ReadAllText(path);
    });

    /// <summary>Runs axe (WCAG 2.0–2.2 A/AA and best practices) on the page as it is now; fails with every violation listed.</summary>
    public static async Task AssertNoViolationsAsync(IPage page, string state)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            // As a DevTools expression, not eval() in the page (which the CSP forbids).
            await page.EvaluateAsync(Source.Value + "\n;true");
        }
        var violations = await page.EvaluateAsync<string>("""
            async () => {
              const r = await axe.run(document, { resultTypes: ['violations'],
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
              return r.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(', ')}`).join('\n');
            }
            """);
        Assert.True(violations.Length == 0, $"axe found violations in state '{state}' at {page.ViewportSize?.Width} px:\n{violations}");
    }
}
