using System.Text.Json;
using System.Text.RegularExpressions;
using Passkeys.Browser.Tests.Infrastructure;

namespace Passkeys.Browser.Tests;

/// <summary>
/// The browser SDK as an npm package (@passkeys/browser): npm pack gives a tarball holding exactly
/// the served files; a fresh app installs it offline and esbuild bundles it; the bundled app, on
/// another origin, signs up and in against a real server. And the SimpleWebAuthn-compatible calls
/// give what @simplewebauthn/browser gives for the same calls against the same server.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NpmPackageTests(BrowserFixture fixture)
{
    // The package folder is the SDK the server serves: every file in it is packed (package.json
    // `files` lists each module, so one left out of that list fails here), and nothing else is.
    private static string[] PackageFiles => Directory.GetFiles(Path.Combine(BrowserEnvironment.WebRoot, "sdk"))
        .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    [BrowserFact]
    public async Task The_tarball_holds_the_served_SDK_files_and_nothing_else()
    {
        var packed = await PackedSdkApp.GetAsync();
        Assert.Contains("passkeys.js", PackageFiles);
        Assert.Contains("session.js", PackageFiles);
        Assert.Equal(PackageFiles, packed.TarballFiles.Keys.Order(StringComparer.Ordinal));

        // One source of truth: the packed modules are byte for byte what the server serves.
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.Origin) };
        foreach (var file in PackageFiles.Where(f => f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".d.ts", StringComparison.Ordinal)))
        {
            Assert.Equal(await http.GetByteArrayAsync("/sdk/" + file), packed.TarballFiles[file]);
        }

        using var manifest = JsonDocument.Parse(packed.TarballFiles["package.json"]);
        var m = manifest.RootElement;
        Assert.Equal("@passkeys/browser", m.GetProperty("name").GetString());
        Assert.Equal("module", m.GetProperty("type").GetString());
        Assert.Equal("./passkeys.d.ts", m.GetProperty("types").GetString());
        Assert.Equal("./passkeys.js", m.GetProperty("exports").GetProperty(".").GetProperty("import").GetString());
        Assert.Empty(m.GetProperty("dependencies").EnumerateObject());
        // The version is the repository's (Directory.Build.props), and the module says the same.
        var repoVersion = Regex.Match(await File.ReadAllTextAsync(Path.Combine(BrowserEnvironment.RepositoryRoot, "Directory.Build.props")), "<Version>([^<]+)</Version>").Groups[1].Value;
        Assert.Equal(repoVersion, m.GetProperty("version").GetString());
        Assert.Contains($"export const VERSION = '{repoVersion}';", System.Text.Encoding.UTF8.GetString(packed.TarballFiles["passkeys.js"]), StringComparison.Ordinal);
        Assert.EndsWith($"passkeys-browser-{repoVersion}.tgz", packed.Tarball, StringComparison.Ordinal);
    }

    [BrowserFact]
    public async Task A_fresh_app_bundles_the_installed_package_and_signs_up_and_in()
    {
        var packed = await PackedSdkApp.GetAsync();
        // The bundle is self-contained: nothing is left to resolve from a package name.
        var bundle = await File.ReadAllTextAsync(Path.Combine(packed.SiteFolder, "app.js"));
        Assert.DoesNotContain("from \"@passkeys/browser\"", bundle, StringComparison.Ordinal);
        Assert.DoesNotContain("from '@passkeys/browser'", bundle, StringComparison.Ordinal);

        await using var sites = await OtherOrigin.StartAsync(packed.SiteFolder);
        await using var tab = await fixture.NewTabAsync(nameof(A_fresh_app_bundles_the_installed_package_and_signs_up_and_in), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await OpenAppAsync(tab, sites);
            var v = await tab.Page.EvalJsonAsync("""
                async (server) => {
                  const { createPasskeysClient, startRegistration, startAuthentication, browserSupportsWebAuthn, VERSION } = window.passkeys;
                  // The server-bound helper…
                  const client = createPasskeysClient({ baseUrl: server });
                  const signUp = await client.register({ user: { name: 'npm-user' } });
                  const signIn = await client.signIn();
                  // …and the low-level calls with the app's own fetches.
                  const post = async (path, body, token) => (await fetch(server + '/v1/tenants/default' + path, { method: 'POST',
                    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: 'Bearer ' + token } : {}) }, body: JSON.stringify(body) })).json();
                  const begin = await post('/registration/begin', { user: { name: 'npm-low-level' } });
                  const finish = await post('/registration/finish', { ceremonyId: begin.ceremonyId, response: await startRegistration({ optionsJSON: begin.options }) });
                  const authBegin = await post('/authentication/begin', { username: 'npm-low-level' });
                  const auth = await post('/authentication/finish', { ceremonyId: authBegin.ceremonyId, response: await startAuthentication({ optionsJSON: authBegin.options }) });
                  return JSON.stringify({ supported: browserSupportsWebAuthn(), version: VERSION, signedUp: signUp.user.name, signedIn: signIn.user.name,
                                          lowLevelUp: finish.user?.name, lowLevelIn: auth.user?.name });
                }
                """, sites.ServerUrl);
            Assert.True(v.GetProperty("supported").GetBoolean());
            Assert.Equal("npm-user", v.GetProperty("signedUp").GetString());
            Assert.Equal("npm-user", v.GetProperty("signedIn").GetString());
            Assert.Equal("npm-low-level", v.GetProperty("lowLevelUp").GetString());
            Assert.Equal("npm-low-level", v.GetProperty("lowLevelIn").GetString());
        });
    }

    // The same page script, run once with window.simplewebauthn and once with window.passkeys.
    private const string SameCalls = """
        async ({ server, libName, user }) => {
          const lib = window[libName];
          const post = async (path, body, token) => {
            const r = await fetch(server + '/v1/tenants/default' + path, { method: 'POST',
              headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: 'Bearer ' + token } : {}) }, body: JSON.stringify(body) });
            return { status: r.status, body: await r.json() };
          };
          const failure = async (promise) => { try { await promise; return null; } catch (e) {
            return { name: e.name, code: e.code, webAuthnError: e instanceof lib.WebAuthnError, cause: e.cause?.name ?? null }; } };
          const keys = (o) => Object.keys(JSON.parse(JSON.stringify(o))).sort();

          const begin = await post('/registration/begin', { user: { name: user } });
          const reg = await lib.startRegistration({ optionsJSON: begin.body.options });
          const finish = await post('/registration/finish', { ceremonyId: begin.body.ceremonyId, response: reg });
          // The same authenticator again, for the same user: excludeCredentials refuses it.
          const again = await post('/registration/begin', {}, finish.body.token);
          const previouslyRegistered = await failure(lib.startRegistration({ optionsJSON: again.body.options }));

          const authBegin = await post('/authentication/begin', {});
          const auth = await lib.startAuthentication({ optionsJSON: authBegin.body.options });
          const signIn = await post('/authentication/finish', { ceremonyId: authBegin.body.ceremonyId, response: auth });
          // An RP ID this page may not use.
          const otherRp = await post('/authentication/begin', {});
          const wrongRpId = await failure(lib.startAuthentication({ optionsJSON: { ...otherRp.body.options, rpId: 'example.com' } }));

          return JSON.stringify({
            registrationKeys: keys(reg), registrationResponseKeys: keys(reg.response), registered: finish.status, user: finish.body.user?.name,
            authenticationKeys: keys(auth), authenticationResponseKeys: keys(auth.response), signedIn: signIn.status, signedInAs: signIn.body.user?.name,
            previouslyRegistered, wrongRpId,
            webAuthn: lib.browserSupportsWebAuthn(), platform: await lib.platformAuthenticatorIsAvailable(), autofill: await lib.browserSupportsWebAuthnAutofill(),
          });
        }
        """;

    // With the authenticator waiting for a touch that never comes, the page cancels the ceremony.
    private const string Cancelled = """
        async ({ server, libName }) => {
          const lib = window[libName];
          const begin = await (await fetch(server + '/v1/tenants/default/authentication/begin', { method: 'POST',
            headers: { 'Content-Type': 'application/json' }, body: '{}' })).json();
          setTimeout(() => lib.WebAuthnAbortService.cancelCeremony(), 500);
          try { await lib.startAuthentication({ optionsJSON: begin.options }); return JSON.stringify(null); }
          catch (e) { return JSON.stringify({ name: e.name, code: e.code, webAuthnError: e instanceof lib.WebAuthnError }); }
        }
        """;

    [BrowserFact]
    public async Task SimpleWebAuthn_and_this_SDK_give_equivalent_results_for_the_same_calls()
    {
        var packed = await PackedSdkApp.GetAsync();
        await using var sites = await OtherOrigin.StartAsync(packed.SiteFolder);
        var results = new Dictionary<string, (JsonElement Calls, JsonElement Cancel)>();
        foreach (var lib in new[] { "simplewebauthn", "passkeys" })
        {
            // A fresh authenticator per library, so each discoverable sign-in has one passkey to pick.
            await using var tab = await fixture.NewTabAsync($"{nameof(SimpleWebAuthn_and_this_SDK_give_equivalent_results_for_the_same_calls)}-{lib}", AuthenticatorOptions.Platform);
            await tab.RunAsync(async () =>
            {
                await OpenAppAsync(tab, sites);
                var calls = await tab.Page.EvalJsonAsync(SameCalls, new { server = sites.ServerUrl, libName = lib, user = lib + "-user" });
                await tab.SetPresenceSimulationAsync(false);
                var cancel = await tab.Page.EvalJsonAsync(Cancelled, new { server = sites.ServerUrl, libName = lib });
                results[lib] = (calls, cancel);
            });
        }
        var (theirs, theirCancel) = results["simplewebauthn"];
        var (ours, ourCancel) = results["passkeys"];

        // Both work against our server, with responses of the same shape.
        foreach (var (r, lib) in new[] { (theirs, "simplewebauthn"), (ours, "passkeys") })
        {
            Assert.Equal(200, r.GetProperty("registered").GetInt32());
            Assert.Equal(lib + "-user", r.GetProperty("user").GetString());
            Assert.Equal(200, r.GetProperty("signedIn").GetInt32());
            Assert.Equal(lib + "-user", r.GetProperty("signedInAs").GetString());
        }
        foreach (var member in new[] { "registrationKeys", "registrationResponseKeys", "authenticationKeys", "authenticationResponseKeys", "webAuthn", "platform", "autofill" })
        {
            Assert.Equal(theirs.GetProperty(member).GetRawText(), ours.GetProperty(member).GetRawText());
        }

        // The same failures give the same WebAuthnError code and name.
        foreach (var (failure, code) in new[] { ("previouslyRegistered", "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED"), ("wrongRpId", "ERROR_INVALID_RP_ID") })
        {
            Assert.Equal(code, theirs.GetProperty(failure).GetProperty("code").GetString());
            Assert.Equal(code, ours.GetProperty(failure).GetProperty("code").GetString());
            Assert.Equal(theirs.GetProperty(failure).GetProperty("name").GetString(), ours.GetProperty(failure).GetProperty("name").GetString());
            Assert.True(ours.GetProperty(failure).GetProperty("webAuthnError").GetBoolean());
        }
        Assert.Equal("ERROR_CEREMONY_ABORTED", theirCancel.GetProperty("code").GetString());
        Assert.Equal("ERROR_CEREMONY_ABORTED", ourCancel.GetProperty("code").GetString());
        Assert.Equal(theirCancel.GetProperty("name").GetString(), ourCancel.GetProperty("name").GetString());
        Assert.True(ourCancel.GetProperty("webAuthnError").GetBoolean());
    }

    private static async Task OpenAppAsync(Tab tab, OtherOrigin sites)
    {
        await tab.Page.GotoAsync(sites.Site.Origin + "/index.html");
        await tab.Page.WaitForFunctionAsync("() => window.appReady === true");
    }
}
