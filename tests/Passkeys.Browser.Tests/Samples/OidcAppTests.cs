using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using OidcApp;
using Microsoft.AspNetCore.Hosting;
using Passkeys.Browser.Tests.Infrastructure;
using Passkeys.TestSupport;

namespace Passkeys.Browser.Tests.Samples;

/// <summary>
/// samples/OidcApp in Chromium next to a real passkey server: the app's only sign-in code is
/// AddOpenIdConnect; the user signs up with a passkey on the hosted page, signs out (which ends the
/// passkey session at the provider), and signs in again with the passkey.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OidcAppTests(BrowserFixture fixture)
{
    private const string AdminKey = "oidc-app-admin-key-0123456789abcdef";

    [BrowserFact]
    public async Task Sign_up_sign_out_and_sign_in_again_with_only_the_standard_handler()
    {
        await using var server = await ServerHost.StartAsync(null, "--Passkeys:AdminKey=" + AdminKey);
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}") };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        // Reserved before the client is registered with the app's redirect URIs; the app listens on it.
        using var appPort = LoopbackPort.Reserve();
        var appOrigin = $"http://localhost:{appPort.Port}";
        string secret;
        using (var created = await admin.PostAsJsonAsync("/v1/admin/tenants/default/oidc-clients", new
        {
            clientId = "oidc-app", displayName = "OIDC App", clientType = "confidential",
            redirectUris = new[] { appOrigin + "/signin-oidc" }, postLogoutRedirectUris = new[] { appOrigin + "/signout-callback-oidc" },
        }))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            secret = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["clientSecret"]!;
        }
        var app = OidcAppHost.Build(
        [
            $"--OidcApp:Authority={server.Origin}/v1/tenants/default",
            "--OidcApp:ClientId=oidc-app",
            $"--OidcApp:ClientSecret={secret}",
        ], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.ConfigureKestrel(appPort.ListenOn);
        });
        await app.StartAsync();
        try
        {
            await using var tab = await fixture.NewTabAsync(nameof(Sign_up_sign_out_and_sign_in_again_with_only_the_standard_handler), AuthenticatorOptions.Platform, server: server);
            await tab.RunAsync(async () =>
            {
                var page = tab.Page;
                var username = "oidc-app-" + Guid.NewGuid().ToString("N")[..8];
                await page.GotoAsync(appOrigin + "/");
                await Assertions.Expect(page.Locator("#result")).ToHaveTextAsync("You are signed out.");
                await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with a passkey" }).ClickAsync();
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to continue to OIDC App" })).ToBeVisibleAsync();
                await page.Locator("#signup-username").FillAsync(username);
                await page.GetByRole(AriaRole.Button, new() { Name = "Create a passkey" }).ClickAsync();
                await page.WaitForURLAsync(appOrigin + "/");
                await Assertions.Expect(page.Locator("#result")).ToHaveTextAsync($"Signed in as {username} with hwk user (urn:passkeys:acr:passkey:uv)");

                // Sign-out goes through the provider's end-session endpoint and back.
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
                await page.WaitForURLAsync(appOrigin + "/");
                await Assertions.Expect(page.Locator("#result")).ToHaveTextAsync("You are signed out.");

                // Again with the passkey. The hosted page offers it in autofill at once, which the virtual
                // authenticator may answer before the button is clicked: either path signs the user in.
                await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with a passkey" }).ClickAsync();
                await page.WaitForURLAsync($"{server.Origin}/**");
                try
                {
                    await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync(new() { Timeout = 5000 });
                }
                catch (Exception e) when (e is TimeoutException or PlaywrightException && page.Url.StartsWith(appOrigin, StringComparison.Ordinal))
                {
                }
                await page.WaitForURLAsync(appOrigin + "/");
                await Assertions.Expect(page.Locator("#result")).ToHaveTextAsync($"Signed in as {username} with hwk user (urn:passkeys:acr:passkey:uv)");
            });
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
