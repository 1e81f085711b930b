using System.Text.Json;
using Microsoft.Playwright;

namespace Passkeys.Browser.Tests.Infrastructure;

/// <summary>
/// One server, one Playwright driver and one headless Chromium shared by every browser test;
/// each test gets a fresh context, page and virtual authenticator (<see cref="NewTabAsync"/>).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private ServerHost? _server;

    public ServerHost Server => _server ?? throw new InvalidOperationException("fixture not started");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("fixture not started");

    public async Task InitializeAsync()
    {
        if (!BrowserEnvironment.ChromiumPresent)
        {
            // Reached only with CI=true (BrowserFact skips otherwise): fail loudly.
            throw new InvalidOperationException(BrowserEnvironment.MissingReason);
        }
        _server = await ServerHost.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = BrowserEnvironment.ChromiumPath,
            Args = BrowserEnvironment.LaunchArgs,
            Headless = true,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>
    /// Opens a new context and page with a CDP virtual authenticator attached, on the shared server
    /// or on <paramref name="server"/> (a test that needs its own configuration or clock).
    /// </summary>
    public async Task<Tab> NewTabAsync(string testName, AuthenticatorOptions? authenticator = null, Viewport? viewport = null, ServerHost? server = null)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = (server ?? Server).Origin,
            ViewportSize = viewport is null ? null : new ViewportSize { Width = viewport.Width, Height = viewport.Height },
        });
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        string? authenticatorId = null;
        await cdp.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        if (authenticator is not null)
        {
            var result = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator",
                new Dictionary<string, object> { ["options"] = authenticator.ToCdp() });
            authenticatorId = result?.GetProperty("authenticatorId").GetString();
        }
        return new Tab(testName, context, page, cdp, authenticatorId);
    }
}

/// <summary>Options of a CDP virtual authenticator (WebAuthn.VirtualAuthenticatorOptions).</summary>
public sealed record AuthenticatorOptions
{
    public string Protocol { get; init; } = "ctap2";
    public string Transport { get; init; } = "internal";
    public bool HasResidentKey { get; init; } = true;
    public bool HasUserVerification { get; init; } = true;
    public bool IsUserVerified { get; init; } = true;
    public bool AutomaticPresenceSimulation { get; init; } = true;
    public bool? BackupEligibility { get; init; }
    public bool? BackupState { get; init; }

    /// <summary>A passkey on this device (platform authenticator, verifies the user).</summary>
    public static AuthenticatorOptions Platform => new();

    /// <summary>A roaming security key on USB.</summary>
    public static AuthenticatorOptions SecurityKey => new() { Transport = "usb" };

    internal Dictionary<string, object> ToCdp()
    {
        var o = new Dictionary<string, object>
        {
            ["protocol"] = Protocol,
            ["transport"] = Transport,
            ["hasResidentKey"] = HasResidentKey,
            ["hasUserVerification"] = HasUserVerification,
            ["isUserVerified"] = IsUserVerified,
            ["automaticPresenceSimulation"] = AutomaticPresenceSimulation,
        };
        if (BackupEligibility is { } be) o["defaultBackupEligibility"] = be;
        if (BackupState is { } bs) o["defaultBackupState"] = bs;
        return o;
    }
}

public sealed record Viewport(int Width, int Height)
{
    public static Viewport Phone => new(390, 844);
}

/// <summary>Reads JSON a page returned as a string (JSON.stringify), per the RECIPE pitfall.</summary>
public static class PageJson
{
    public static async Task<JsonElement> EvalJsonAsync(this IPage page, string script, object? arg = null)
    {
        var text = await page.EvaluateAsync<string>(script, arg);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }
}
