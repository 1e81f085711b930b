using System.Text.Json;
using Microsoft.Playwright;

namespace Passkeys.Browser.Tests.Infrastructure;

/// <summary>One test's browser context, page and virtual authenticator.</summary>
public sealed class Tab : IAsyncDisposable
{
    private readonly string _testName;

    internal Tab(string testName, IBrowserContext context, IPage page, ICDPSession cdp, string? authenticatorId)
    {
        _testName = testName;
        Context = context;
        Page = page;
        Cdp = cdp;
        AuthenticatorId = authenticatorId;
        FirstAuthenticatorId = authenticatorId;
        page.Console += (_, message) => _console.Enqueue($"[{message.Type}] {message.Text}");
        page.PageError += (_, error) => _console.Enqueue($"[pageerror] {error}");
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _console = new();

    public IBrowserContext Context { get; }
    public IPage Page { get; }
    public ICDPSession Cdp { get; }
    public string? AuthenticatorId { get; private set; }

    /// <summary>The authenticator the tab opened with (a later AddAuthenticatorAsync replaces <see cref="AuthenticatorId"/>).</summary>
    public string? FirstAuthenticatorId { get; }

    /// <summary>Credentials the virtual authenticator holds (WebAuthn.getCredentials).</summary>
    public async Task<JsonElement[]> CredentialsAsync()
    {
        var result = await Cdp.SendAsync("WebAuthn.getCredentials",
            new Dictionary<string, object> { ["authenticatorId"] = AuthenticatorId! });
        return result is { } r ? [.. r.GetProperty("credentials").EnumerateArray().Select(e => e.Clone())] : [];
    }

    public async Task SetUserVerifiedAsync(bool verified, string? authenticatorId = null) =>
        await Cdp.SendAsync("WebAuthn.setUserVerified",
            new Dictionary<string, object> { ["authenticatorId"] = authenticatorId ?? AuthenticatorId!, ["isUserVerified"] = verified });

    public async Task SetPresenceSimulationAsync(bool enabled) =>
        await Cdp.SendAsync("WebAuthn.setAutomaticPresenceSimulation",
            new Dictionary<string, object> { ["authenticatorId"] = AuthenticatorId!, ["enabled"] = enabled });

    public async Task RemoveAuthenticatorAsync()
    {
        await Cdp.SendAsync("WebAuthn.removeVirtualAuthenticator",
            new Dictionary<string, object> { ["authenticatorId"] = AuthenticatorId! });
        AuthenticatorId = null;
    }

    public async Task<string> AddAuthenticatorAsync(AuthenticatorOptions options)
    {
        var result = await Cdp.SendAsync("WebAuthn.addVirtualAuthenticator",
            new Dictionary<string, object> { ["options"] = options.ToCdp() });
        AuthenticatorId = result!.Value.GetProperty("authenticatorId").GetString();
        return AuthenticatorId!;
    }

    /// <summary>
    /// Runs a test body with a hard time limit; on failure or timeout saves a screenshot into the
    /// test output folder (screenshots/NAME.png) and names it in the exception.
    /// </summary>
    public async Task RunAsync(Func<Task> body, int seconds = 45)
    {
        try
        {
            await body().WaitAsync(TimeSpan.FromSeconds(seconds));
        }
        catch (Exception e)
        {
            var path = await ScreenshotAsync();
            var why = e is TimeoutException ? $"timed out after {seconds} s (a WebAuthn call may be hanging)" : "failed";
            var console = string.Join("\n  ", _console.TakeLast(20));
            throw new BrowserTestFailure($"{_testName} {why}; screenshot: {path ?? "(none)"}; page: {Page.Url}\nbrowser console:\n  {console}", e);
        }
    }

    private async Task<string?> ScreenshotAsync()
    {
        try
        {
            var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, $"{_testName}.png");
            await Page.ScreenshotAsync(new() { Path = path, FullPage = true, Timeout = 5_000 });
            return path;
        }
        catch (PlaywrightException)
        {
            return null;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Context.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // a hung WebAuthn request can keep the context busy; the browser is closed by the fixture
        }
    }
}

public sealed class BrowserTestFailure(string message, Exception inner) : Exception(message, inner);
