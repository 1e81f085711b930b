using Passkeys.Browser.Tests.Infrastructure;

namespace Passkeys.Browser.Tests;

/// <summary>
/// The SDK served at /sdk/ imported by a page of another origin (a second Kestrel on another
/// loopback port): the browser loads the module (and the module it imports) only because /sdk/
/// answers with Access-Control-Allow-Origin "*"; the page then signs up and in against the server.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SdkCrossOriginTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task A_page_on_another_origin_imports_the_served_SDK_and_signs_up_and_in()
    {
        var folder = Path.Combine(Path.GetTempPath(), "passkeys-cross-origin-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            // The server's port is only known once it starts; the page reads it from its query.
            await File.WriteAllTextAsync(Path.Combine(folder, "index.html"), """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Another app</title></head><body>
                <script type="module">
                  const server = new URLSearchParams(location.search).get('server');
                  try {
                    const sdk = await import(server + '/sdk/passkeys.js');
                    window.sdk = sdk;
                    window.loaded = 'ok';
                  } catch (e) {
                    window.loaded = String(e);
                  }
                </script></body></html>
                """);
            await using var sites = await OtherOrigin.StartAsync(folder);
            await using var tab = await fixture.NewTabAsync(nameof(A_page_on_another_origin_imports_the_served_SDK_and_signs_up_and_in), AuthenticatorOptions.Platform);
            await tab.RunAsync(async () =>
            {
                await tab.Page.GotoAsync($"{sites.Site.Origin}/index.html?server={Uri.EscapeDataString(sites.ServerUrl)}");
                await tab.Page.WaitForFunctionAsync("() => window.loaded !== undefined");
                Assert.Equal("ok", await tab.Page.EvaluateAsync<string>("() => window.loaded"));
                var v = await tab.Page.EvalJsonAsync("""
                    async (server) => {
                      const client = window.sdk.createPasskeysClient({ baseUrl: server });
                      const signUp = await client.register({ user: { name: 'cross-origin-user' } });
                      const signIn = await client.signIn();
                      return JSON.stringify({ origin: location.origin, signedUp: signUp.user.name, signedIn: signIn.user.name });
                    }
                    """, sites.ServerUrl);
                Assert.Equal(sites.Site.Origin, v.GetProperty("origin").GetString());
                Assert.Equal("cross-origin-user", v.GetProperty("signedUp").GetString());
                Assert.Equal("cross-origin-user", v.GetProperty("signedIn").GetString());
            });
        }
        finally
        {
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }
}
