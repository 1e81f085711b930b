using System.Text.Json;
using Passkeys.Browser.Tests.Infrastructure;

namespace Passkeys.Browser.Tests;

/// <summary>
/// The SimpleWebAuthn-shaped calls of passkeys.js in real Chromium: the deprecated shapes and names
/// keep working and warn once each, useAutoRegister (conditional create) never prompts where the
/// browser can't do it, and register({ mediation: 'conditional' }) tells the server so.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SdkCompatibleApiTests(BrowserFixture fixture)
{
    private const string Helpers = """
        const challenge = () => sdk.bufferToBase64URLString(crypto.getRandomValues(new Uint8Array(32)));
        const creation = (extra = {}) => ({
          rp: { id: 'localhost', name: 'SDK test' },
          user: { id: sdk.bufferToBase64URLString(new TextEncoder().encode('user-' + Math.random())), name: 'alice', displayName: 'Alice' },
          challenge: challenge(),
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
          timeout: 20000, ...extra });
        const request = (extra = {}) => ({ challenge: challenge(), rpId: 'localhost', userVerification: 'required', timeout: 20000, ...extra });
        const warnings = [];
        const warn = console.warn;
        console.warn = (...a) => { warnings.push(a.join(' ')); warn(...a); };
        const createCalls = [];
        const create = navigator.credentials.create.bind(navigator.credentials);
        navigator.credentials.create = (o) => { createCalls.push(o.mediation ?? 'modal'); return create(o); };
        """;

    private static async Task<JsonElement> Run(Tab tab, string body)
    {
        var result = await SdkPage.RunAsync(tab, Helpers + body);
        Assert.True(result.GetProperty("ok").GetBoolean(), $"expected success, got {result}");
        return result.GetProperty("value");
    }

    [BrowserFact]
    public async Task Deprecated_shapes_and_names_still_work_and_warn_once_each()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Deprecated_shapes_and_names_still_work_and_warn_once_each), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab, "<input autocomplete=\"username webauthn\">");
            var v = await Run(tab, """
                const fresh = [];
                fresh.push((await sdk.startRegistration({ optionsJSON: creation() })).id);
                fresh.push((await sdk.startAuthentication({ optionsJSON: request() })).id);
                fresh.push(sdk.browserSupportsWebAuthn(), await sdk.browserSupportsWebAuthnAutofill());
                const quiet = warnings.length;
                const old = [];
                for (let i = 0; i < 2; i++) {
                  old.push((await sdk.startRegistration(creation())).id);
                  old.push((await sdk.startAuthentication(request())).id);
                  old.push(sdk.browserSupportsPasskeys(), await sdk.browserSupportsAutofill());
                }
                return { quiet, warnings, fresh: fresh.every(Boolean), old: old.every(Boolean) };
                """);
            Assert.Equal(0, v.GetProperty("quiet").GetInt32());
            Assert.True(v.GetProperty("fresh").GetBoolean());
            Assert.True(v.GetProperty("old").GetBoolean());
            var warnings = v.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
            Assert.Equal(4, warnings.Count); // four old forms, once each although each was used twice
            foreach (var name in new[] { "startRegistration(optionsJSON", "startAuthentication(optionsJSON", "browserSupportsPasskeys()", "browserSupportsAutofill()" })
            {
                Assert.Single(warnings, w => w.Contains(name, StringComparison.Ordinal) && w.Contains("deprecated", StringComparison.Ordinal));
            }
        });
    }

    [BrowserFact]
    public async Task UseAutoRegister_where_conditional_create_is_unsupported_says_so_without_prompting()
    {
        await using var tab = await fixture.NewTabAsync(nameof(UseAutoRegister_where_conditional_create_is_unsupported_says_so_without_prompting), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await tab.Page.AddInitScriptAsync("PublicKeyCredential.getClientCapabilities = async () => ({ conditionalCreate: false, conditionalGet: true });");
            await SdkPage.OpenAsync(tab);
            var v = await Run(tab, """
                const e = await sdk.startRegistration({ optionsJSON: creation(), useAutoRegister: true }).then(() => null, (e) => e);
                return { webAuthnError: e instanceof sdk.WebAuthnError, code: e.code, passkeyCode: e.passkeyCode, causeCode: e.cause?.code,
                         message: e.message, createCalls };
                """);
            Assert.True(v.GetProperty("webAuthnError").GetBoolean());
            Assert.Equal("ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY", v.GetProperty("code").GetString());
            Assert.Equal("conditional_create_unsupported", v.GetProperty("passkeyCode").GetString());
            Assert.Equal("conditional_create_unsupported", v.GetProperty("causeCode").GetString());
            Assert.Empty(v.GetProperty("createCalls").EnumerateArray());
        });
    }

    [BrowserFact]
    public async Task Register_with_conditional_mediation_tells_the_server_and_begins_nothing_where_unsupported()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Register_with_conditional_mediation_tells_the_server_and_begins_nothing_where_unsupported), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            var v = await Run(tab, """
                const begins = [];
                const realFetch = window.fetch.bind(window);
                const client = sdk.createPasskeysClient({ fetch: (url, init) => {
                  if (String(url).endsWith('/registration/begin')) begins.push(JSON.parse(init.body));
                  return realFetch(url, init); } });
                const signUp = await client.register({ user: { name: 'quiet-' + Math.random().toString(36).slice(2, 10) } });
                const supported = await sdk.browserSupportsConditionalCreate();
                // This Chromium reports conditionalCreate, but no password manager just signed the user in,
                // so the browser keeps the quiet request pending (it never shows a prompt): the page gives up.
                const stop = new AbortController();
                setTimeout(() => stop.abort(), 1500);
                const upgrade = await client.register({ token: signUp.token, mediation: 'conditional', authenticatorAttachment: 'platform', signal: stop.signal })
                  .then((r) => ({ credential: r.credential.id }), (e) => ({ code: e.code, cause: e.cause?.name }));
                PublicKeyCredential.getClientCapabilities = async () => ({ conditionalCreate: false });
                const refused = await client.register({ token: signUp.token, mediation: 'conditional' }).then(() => null, (e) => e.code);
                return { begins, supported, upgrade, refused, createCalls };
                """);
            var begins = v.GetProperty("begins").EnumerateArray().ToList();
            Assert.Equal(2, begins.Count); // the sign-up and the upgrade; the refused one began nothing
            Assert.False(begins[0].TryGetProperty("mediation", out _));
            Assert.Equal("conditional", begins[1].GetProperty("mediation").GetString());
            Assert.Equal(["modal", "conditional"], v.GetProperty("createCalls").EnumerateArray().Select(c => c.GetString()));
            Assert.Equal("conditional_create_unsupported", v.GetProperty("refused").GetString());
            var upgrade = v.GetProperty("upgrade");
            if (!upgrade.TryGetProperty("credential", out _))
            {
                Assert.Contains(upgrade.GetProperty("code").GetString(), new[] { "aborted", "cancelled" });
            }
        });
    }

    [BrowserFact]
    public async Task The_abort_service_shares_one_controller_with_autofill_and_modal_ceremonies()
    {
        // Without simulated user presence the autofill request stays pending, as while the user
        // hasn't picked a suggestion; then a modal sign-in replaces it, through the same controller.
        await using var tab = await fixture.NewTabAsync(nameof(The_abort_service_shares_one_controller_with_autofill_and_modal_ceremonies),
            AuthenticatorOptions.Platform with { AutomaticPresenceSimulation = false });
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab, "<input autocomplete=\"username webauthn\">");
            var started = await Run(tab, """
                window.pendingAutofill = sdk.startAuthentication({ optionsJSON: request(), useBrowserAutofill: true }).then(() => null, (e) => e.code);
                await new Promise((r) => setTimeout(r, 300));
                return sdk.activeCeremony();
                """);
            Assert.Equal("autofill", started.GetString());
            await tab.SetPresenceSimulationAsync(true);
            var v = await Run(tab, """
                await sdk.startRegistration({ optionsJSON: creation() });
                const autofill = await window.pendingAutofill;
                const own = sdk.WebAuthnAbortService.createNewAbortSignal();
                const before = own.aborted;
                sdk.WebAuthnAbortService.cancelCeremony();
                return { autofill, before, after: own.aborted, active: sdk.activeCeremony() };
                """);
            Assert.Equal("ERROR_CEREMONY_ABORTED", v.GetProperty("autofill").GetString());
            Assert.False(v.GetProperty("before").GetBoolean());
            Assert.True(v.GetProperty("after").GetBoolean());
            Assert.Equal(JsonValueKind.Null, v.GetProperty("active").ValueKind);
        });
    }

    [BrowserFact]
    public async Task The_order_of_the_calls_decides_even_before_a_ceremony_reaches_the_browser()
    {
        await using var tab = await fixture.NewTabAsync(nameof(The_order_of_the_calls_decides_even_before_a_ceremony_reaches_the_browser), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab, "<input autocomplete=\"username webauthn\">");
            var v = await Run(tab, """
                await sdk.startRegistration({ optionsJSON: creation() });
                const outcome = (p) => p.then((r) => 'signed in', (e) => e.code);
                // Cancelled in the same turn as the call, before the SDK's own awaits let it reach the browser.
                const cancelled = outcome(sdk.startAuthentication({ optionsJSON: request() }));
                sdk.WebAuthnAbortService.cancelCeremony();
                const afterCancel = await cancelled;
                // Autofill called first, a modal sign-in right after: the later call wins, although the
                // autofill still had its feature checks to await.
                const autofill = outcome(sdk.startAuthentication({ optionsJSON: request(), useBrowserAutofill: true }));
                const modal = outcome(sdk.startAuthentication({ optionsJSON: request() }));
                return { afterCancel, autofill: await autofill, modal: await modal };
                """);
            Assert.Equal("ERROR_CEREMONY_ABORTED", v.GetProperty("afterCancel").GetString());
            Assert.Equal("ERROR_CEREMONY_ABORTED", v.GetProperty("autofill").GetString());
            Assert.Equal("signed in", v.GetProperty("modal").GetString());
        });
    }
}
