using System.Text.Json;
using Passkeys.Browser.Tests.Infrastructure;

namespace Passkeys.Browser.Tests;

/// <summary>
/// passkeys.js on its own, in real Chromium with a CDP virtual authenticator, fed hand-made
/// options JSON (no server ceremony logic involved).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SdkTests(BrowserFixture fixture)
{
    // Hand-made options: rp localhost, a fresh random challenge per call.
    private const string Helpers = """
        const challenge = () => sdk.bufferToBase64url(crypto.getRandomValues(new Uint8Array(32)));
        const creation = (extra = {}) => ({
          rp: { id: 'localhost', name: 'SDK test' },
          user: { id: sdk.bufferToBase64url(new TextEncoder().encode('user-1')), name: 'alice', displayName: 'Alice' },
          challenge: challenge(),
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -257 }],
          authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
          timeout: 20000, ...extra });
        const request = (extra = {}) => ({ challenge: challenge(), rpId: 'localhost', userVerification: 'required', timeout: 20000, ...extra });
        const clientData = (r) => JSON.parse(new TextDecoder().decode(sdk.base64urlToBuffer(r.response.clientDataJSON)));
        """;

    private static async Task<JsonElement> Run(Tab tab, string body, object? arg = null) =>
        await SdkPage.RunAsync(tab, Helpers + body, arg);

    private static JsonElement Ok(JsonElement result)
    {
        Assert.True(result.GetProperty("ok").GetBoolean(), $"expected success, got {result}");
        return result.GetProperty("value");
    }

    private static JsonElement Err(JsonElement result)
    {
        Assert.False(result.GetProperty("ok").GetBoolean(), $"expected an error, got {result}");
        var error = result.GetProperty("error");
        Assert.True(error.GetProperty("isPasskeyError").GetBoolean(), $"not a PasskeyError: {error}");
        return error;
    }

    [BrowserFact]
    public async Task Registers_and_signs_in_with_the_native_JSON_methods()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Registers_and_signs_in_with_the_native_JSON_methods), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            var v = Ok(await Run(tab, """
                const native = typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function'
                  && typeof PublicKeyCredential.prototype.toJSON === 'function';
                const regOptions = creation();
                const reg = await sdk.startRegistration(regOptions);
                const authOptions = request();
                const auth = await sdk.startAuthentication(authOptions);
                return { native, reg, auth, regClient: clientData(reg), authClient: clientData(auth),
                         regChallenge: regOptions.challenge, authChallenge: authOptions.challenge, userId: regOptions.user.id };
                """));
            Assert.True(v.GetProperty("native").GetBoolean());
            AssertRegistration(v);
            AssertAuthentication(v);
            Assert.Single(await tab.CredentialsAsync());
        });
    }

    [BrowserFact]
    public async Task Fallback_path_works_with_the_native_JSON_methods_removed()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Fallback_path_works_with_the_native_JSON_methods_removed), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab, removeNativeJson: true);
            var v = Ok(await Run(tab, """
                const native = ['parseCreationOptionsFromJSON', 'parseRequestOptionsFromJSON'].some(m => typeof PublicKeyCredential[m] === 'function')
                  || typeof PublicKeyCredential.prototype.toJSON === 'function';
                const regOptions = creation({ excludeCredentials: [{ type: 'public-key', id: sdk.bufferToBase64url(new Uint8Array(16)) }],
                                              extensions: { credProps: true } });
                const reg = await sdk.startRegistration(regOptions);
                const authOptions = request({ allowCredentials: [{ type: 'public-key', id: reg.id, transports: reg.response.transports }] });
                const auth = await sdk.startAuthentication(authOptions);
                return { native, reg, auth, regClient: clientData(reg), authClient: clientData(auth),
                         regChallenge: regOptions.challenge, authChallenge: authOptions.challenge, userId: regOptions.user.id };
                """));
            Assert.False(v.GetProperty("native").GetBoolean(), "the init script should have removed the native JSON methods");
            AssertRegistration(v);
            AssertAuthentication(v);
            // credProps came back through the fallback's extension-results conversion.
            Assert.True(v.GetProperty("reg").GetProperty("clientExtensionResults").GetProperty("credProps").GetProperty("rk").GetBoolean());
        });
    }

    private static void AssertRegistration(JsonElement v)
    {
        var reg = v.GetProperty("reg");
        Assert.Equal("public-key", reg.GetProperty("type").GetString());
        Assert.Equal(reg.GetProperty("id").GetString(), reg.GetProperty("rawId").GetString());
        Assert.Equal("platform", reg.GetProperty("authenticatorAttachment").GetString());
        var response = reg.GetProperty("response");
        Assert.False(string.IsNullOrEmpty(response.GetProperty("attestationObject").GetString()));
        Assert.Equal(-7, response.GetProperty("publicKeyAlgorithm").GetInt32());
        Assert.Contains("internal", response.GetProperty("transports").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("webauthn.create", v.GetProperty("regClient").GetProperty("type").GetString());
        Assert.Equal(v.GetProperty("regChallenge").GetString(), v.GetProperty("regClient").GetProperty("challenge").GetString());
    }

    private static void AssertAuthentication(JsonElement v)
    {
        var auth = v.GetProperty("auth");
        Assert.Equal(v.GetProperty("reg").GetProperty("id").GetString(), auth.GetProperty("id").GetString());
        var response = auth.GetProperty("response");
        Assert.False(string.IsNullOrEmpty(response.GetProperty("signature").GetString()));
        Assert.False(string.IsNullOrEmpty(response.GetProperty("authenticatorData").GetString()));
        Assert.Equal(v.GetProperty("userId").GetString(), response.GetProperty("userHandle").GetString());
        Assert.Equal("webauthn.get", v.GetProperty("authClient").GetProperty("type").GetString());
        Assert.Equal(v.GetProperty("authChallenge").GetString(), v.GetProperty("authClient").GetProperty("challenge").GetString());
    }

    [BrowserFact]
    public async Task Failed_user_verification_gives_the_plain_cancelled_message()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Failed_user_verification_gives_the_plain_cancelled_message),
            AuthenticatorOptions.Platform with { IsUserVerified = false });
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            var e = Err(await Run(tab, "return await sdk.startRegistration(creation());"));
            Assert.Equal("cancelled", e.GetProperty("code").GetString());
            Assert.Equal("NotAllowedError", e.GetProperty("causeName").GetString());
            Assert.Contains("Try again", e.GetProperty("message").GetString(), StringComparison.Ordinal);
        });
    }

    [BrowserFact]
    public async Task Without_a_platform_authenticator_the_message_suggests_a_phone_or_security_key()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Without_a_platform_authenticator_the_message_suggests_a_phone_or_security_key),
            AuthenticatorOptions.SecurityKey with { IsUserVerified = false });
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            var v = Ok(await Run(tab, "return { platform: await sdk.platformAuthenticatorIsAvailable() };"));
            Assert.False(v.GetProperty("platform").GetBoolean());
            var e = Err(await Run(tab, "return await sdk.startAuthentication(request());"));
            Assert.Equal("cancelled", e.GetProperty("code").GetString());
            var message = e.GetProperty("message").GetString()!;
            Assert.Contains("phone", message, StringComparison.Ordinal);
            Assert.Contains("security key", message, StringComparison.Ordinal);
        });
    }

    [BrowserFact]
    public async Task An_excluded_credential_is_reported_as_already_registered()
    {
        await using var tab = await fixture.NewTabAsync(nameof(An_excluded_credential_is_reported_as_already_registered), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            var e = Err(await Run(tab, """
                const reg = await sdk.startRegistration(creation());
                return await sdk.startRegistration(creation({ excludeCredentials: [{ type: 'public-key', id: reg.id }] }));
                """));
            Assert.Equal("already_registered", e.GetProperty("code").GetString());
            Assert.Equal("InvalidStateError", e.GetProperty("causeName").GetString());
        });
    }

    [BrowserFact]
    public async Task Autofill_signs_in_from_the_username_field()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Autofill_signs_in_from_the_username_field), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab, "<label>Username <input id=u autocomplete=\"username webauthn\"></label>");
            var v = Ok(await Run(tab, """
                const reg = await sdk.startRegistration(creation());
                const supported = await sdk.browserSupportsAutofill();
                const auth = await sdk.startAuthentication(request({ allowCredentials: [{ type: 'public-key', id: 'AAAA' }] }), { autofill: true });
                return { supported, reg, auth, authClient: clientData(auth) };
                """));
            Assert.True(v.GetProperty("supported").GetBoolean());
            Assert.Equal(v.GetProperty("reg").GetProperty("id").GetString(), v.GetProperty("auth").GetProperty("id").GetString());
        });
    }

    [BrowserFact]
    public async Task Autofill_without_a_webauthn_input_is_explained()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Autofill_without_a_webauthn_input_is_explained), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab, "<input id=u autocomplete=\"username\">");
            var e = Err(await Run(tab, "return await sdk.startAuthentication(request(), { autofill: true });"));
            Assert.Equal("autofill_input_missing", e.GetProperty("code").GetString());
            Assert.Contains("autocomplete=\"username webauthn\"", e.GetProperty("message").GetString(), StringComparison.Ordinal);

            var check = Ok(await Run(tab, """
                document.getElementById('u').setAttribute('autocomplete', 'webauthn username');
                const wrongOrder = sdk.checkAutofillInput();
                document.getElementById('u').setAttribute('autocomplete', 'username webauthn');
                const good = sdk.checkAutofillInput();
                return { wrongOrder: { ok: wrongOrder.ok, message: wrongOrder.message }, good: { ok: good.ok, id: good.input.id } };
                """));
            Assert.False(check.GetProperty("wrongOrder").GetProperty("ok").GetBoolean());
            Assert.Contains("last", check.GetProperty("wrongOrder").GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.True(check.GetProperty("good").GetProperty("ok").GetBoolean());
        });
    }

    [BrowserFact]
    public async Task A_new_ceremony_cancels_the_pending_autofill()
    {
        // Without simulated user presence the autofill request stays pending, as it does while the
        // user hasn't picked a suggestion. Then the user clicks "create a passkey" instead.
        await using var tab = await fixture.NewTabAsync(nameof(A_new_ceremony_cancels_the_pending_autofill),
            AuthenticatorOptions.Platform with { AutomaticPresenceSimulation = false });
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab, "<input autocomplete=\"username webauthn\">");
            var started = Ok(await Run(tab, """
                window.pendingAutofill = sdk.startAuthentication(request(), { autofill: true }).then(() => 'resolved', e => e.code);
                await new Promise(r => setTimeout(r, 300));
                return sdk.activeCeremony();
                """));
            Assert.Equal("autofill", started.GetString());
            await tab.SetPresenceSimulationAsync(true);
            var v = Ok(await Run(tab, """
                const reg = await sdk.startRegistration(creation());
                return { autofill: await window.pendingAutofill, registered: !!reg.id, kindAfter: sdk.activeCeremony() };
                """));
            Assert.Equal("aborted", v.GetProperty("autofill").GetString());
            Assert.True(v.GetProperty("registered").GetBoolean());
            Assert.Equal(JsonValueKind.Null, v.GetProperty("kindAfter").ValueKind);
        });
    }

    [BrowserFact]
    public async Task CancelCeremony_rejects_the_pending_request_as_aborted()
    {
        await using var tab = await fixture.NewTabAsync(nameof(CancelCeremony_rejects_the_pending_request_as_aborted));
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            var v = Ok(await Run(tab, """
                const p = sdk.startAuthentication(request()).then(() => null, e => ({ code: e.code, isAbort: e.isAbort }));
                await new Promise(r => setTimeout(r, 300));
                const kind = sdk.activeCeremony();
                const cancelled = sdk.cancelCeremony();
                return { kind, cancelled, error: await p, nothingLeft: sdk.cancelCeremony() === false };
                """));
            Assert.Equal("authentication", v.GetProperty("kind").GetString());
            Assert.True(v.GetProperty("cancelled").GetBoolean());
            Assert.Equal("aborted", v.GetProperty("error").GetProperty("code").GetString());
            Assert.True(v.GetProperty("error").GetProperty("isAbort").GetBoolean());
            Assert.True(v.GetProperty("nothingLeft").GetBoolean());
        });
    }

    [BrowserFact]
    public async Task Feature_detection_reports_what_this_browser_can_do()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Feature_detection_reports_what_this_browser_can_do), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            var v = Ok(await Run(tab, """
                return { passkeys: sdk.browserSupportsPasskeys(), autofill: await sdk.browserSupportsAutofill(),
                         platform: await sdk.platformAuthenticatorIsAvailable(), caps: await sdk.getClientCapabilities() };
                """));
            Assert.True(v.GetProperty("passkeys").GetBoolean());
            Assert.True(v.GetProperty("autofill").GetBoolean());
            Assert.True(v.GetProperty("platform").GetBoolean());
            Assert.True(v.GetProperty("caps").GetProperty("conditionalGet").GetBoolean());
        });
    }

    [BrowserFact]
    public async Task Feature_detection_falls_back_without_getClientCapabilities()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Feature_detection_falls_back_without_getClientCapabilities), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await tab.Page.AddInitScriptAsync("delete PublicKeyCredential.getClientCapabilities;");
            await SdkPage.OpenAsync(tab);
            var v = Ok(await Run(tab, """
                return { autofill: await sdk.browserSupportsAutofill(), caps: await sdk.getClientCapabilities(),
                         conditionalCreate: await sdk.browserSupportsConditionalCreate() };
                """));
            Assert.True(v.GetProperty("autofill").GetBoolean());
            Assert.True(v.GetProperty("caps").GetProperty("userVerifyingPlatformAuthenticator").GetBoolean());
            Assert.False(v.GetProperty("conditionalCreate").GetBoolean());
            var e = Err(await Run(tab, "return await sdk.startRegistration(creation(), { conditional: true });"));
            Assert.Equal("conditional_create_unsupported", e.GetProperty("code").GetString());
        });
    }

    [BrowserFact]
    public async Task A_browser_without_WebAuthn_gets_passkeys_unsupported()
    {
        await using var tab = await fixture.NewTabAsync(nameof(A_browser_without_WebAuthn_gets_passkeys_unsupported));
        await tab.RunAsync(async () =>
        {
            await tab.Page.AddInitScriptAsync("delete window.PublicKeyCredential;");
            await SdkPage.OpenAsync(tab);
            var v = Ok(await Run(tab, "return { passkeys: sdk.browserSupportsPasskeys(), autofill: await sdk.browserSupportsAutofill() };"));
            Assert.False(v.GetProperty("passkeys").GetBoolean());
            Assert.False(v.GetProperty("autofill").GetBoolean());
            var e = Err(await Run(tab, "return await sdk.startAuthentication({ challenge: 'AAAA' });"));
            Assert.Equal("passkeys_unsupported", e.GetProperty("code").GetString());
        });
    }

    [BrowserFact]
    public async Task Malformed_options_are_reported_as_invalid_options()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Malformed_options_are_reported_as_invalid_options), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab, removeNativeJson: true);
            var e = Err(await Run(tab, "return await sdk.startAuthentication(request({ challenge: 'not base64url!' }));"));
            Assert.Equal("invalid_options", e.GetProperty("code").GetString());
            var missing = Err(await Run(tab, "const o = creation(); delete o.user; return await sdk.startRegistration(o);"));
            Assert.Equal("invalid_options", missing.GetProperty("code").GetString());
            Assert.Contains("user", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
        });
    }

    [BrowserFact]
    public async Task Conditional_create_asks_for_conditional_mediation_when_supported()
    {
        // Chromium creates a conditional passkey only for a user who just signed in with a saved
        // password; the virtual authenticator has no password manager, so the browser declines.
        // What the SDK controls: it asks with mediation 'conditional', and a decline is a plain error.
        await using var tab = await fixture.NewTabAsync(nameof(Conditional_create_asks_for_conditional_mediation_when_supported), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            var v = Ok(await Run(tab, """
                const supported = await sdk.browserSupportsConditionalCreate();
                const original = navigator.credentials.create.bind(navigator.credentials);
                let mediation;
                navigator.credentials.create = (o) => { mediation = o.mediation; return original(o); };
                const result = await sdk.startRegistration(creation({ timeout: 2000, authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' } }), { conditional: true })
                  .then(r => ({ id: r.id }), e => ({ code: e.code, message: e.message }));
                return { supported, mediation, result };
                """));
            Assert.True(v.GetProperty("supported").GetBoolean(), "this Chromium reports conditionalCreate");
            Assert.Equal("conditional", v.GetProperty("mediation").GetString());
            var result = v.GetProperty("result");
            if (!result.TryGetProperty("id", out _))
            {
                Assert.Equal("cancelled", result.GetProperty("code").GetString());
            }
        });
    }

    [BrowserFact]
    public async Task Signals_reach_the_authenticator()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Signals_reach_the_authenticator), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            var v = Ok(await Run(tab, """
                const a = await sdk.startRegistration(creation());
                const opts = creation(); opts.user = { ...opts.user, id: sdk.bufferToBase64url(new TextEncoder().encode('user-2')), name: 'bob' };
                const b = await sdk.startRegistration(opts);
                return { a: a.id, b: b.id, userB: opts.user.id };
                """));
            Assert.Equal(2, (await tab.CredentialsAsync()).Length);

            // The server said credential A is unknown: the authenticator drops it.
            var s1 = Ok(await Run(tab, "return await sdk.signalUnknownCredential({ rpId: 'localhost', credentialId: arg });",
                v.GetProperty("a").GetString()));
            Assert.True(s1.GetBoolean());
            var left = await tab.CredentialsAsync();
            Assert.Single(left);

            // Rename and the full accepted list for user B are delivered too.
            var s2 = Ok(await Run(tab, """
                return [await sdk.signalCurrentUserDetails({ rpId: 'localhost', userId: arg.user, name: 'bobby', displayName: 'Bobby' }),
                        await sdk.signalAllAcceptedCredentials({ rpId: 'localhost', userId: arg.user, allAcceptedCredentialIds: [arg.id] })];
                """, new { user = v.GetProperty("userB").GetString(), id = v.GetProperty("b").GetString() }));
            Assert.All(s2.EnumerateArray(), e => Assert.True(e.GetBoolean()));
            Assert.Single(await tab.CredentialsAsync());

            // Without the Signal API the helpers quietly report false.
            var s3 = Ok(await Run(tab, """
                delete PublicKeyCredential.signalUnknownCredential;
                return await sdk.signalUnknownCredential({ rpId: 'localhost', credentialId: 'AAAA' });
                """));
            Assert.False(s3.GetBoolean());
        });
    }

    [BrowserFact]
    public async Task Server_problems_map_to_stable_codes_and_plain_messages()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Server_problems_map_to_stable_codes_and_plain_messages));
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            var v = Ok(await Run(tab, """
                const known = sdk.PasskeyError.fromProblem({ type: 'https://passkeys.invalid/errors/credential-not-found', title: 'CredentialNotFound', status: 400, code: 215, error: 'CredentialNotFound', detail: 'We could not find it.' }, 400);
                const custom = sdk.PasskeyError.fromProblem({ status: 400, code: 'SomethingNew', message: 'Plain words from the server.' }, 400);
                const bare = sdk.PasskeyError.fromProblem(null, 503);
                const pick = (e) => ({ code: e.code, reason: e.reason, message: e.message, errorNumber: e.errorNumber ?? null, unknown: sdk.isUnknownCredentialError(e) });
                return { known: pick(known), custom: pick(custom), bare: pick(bare) };
                """));
            Assert.Equal("CredentialNotFound", v.GetProperty("known").GetProperty("code").GetString());
            Assert.Equal("passkey-removed", v.GetProperty("known").GetProperty("reason").GetString());
            Assert.Equal("server-error", v.GetProperty("bare").GetProperty("reason").GetString());
            Assert.Equal("unknown", v.GetProperty("custom").GetProperty("reason").GetString());
            Assert.StartsWith("This passkey is no longer registered with your account", v.GetProperty("known").GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(215, v.GetProperty("known").GetProperty("errorNumber").GetInt32());
            Assert.True(v.GetProperty("known").GetProperty("unknown").GetBoolean());
            Assert.Equal("Plain words from the server.", v.GetProperty("custom").GetProperty("message").GetString());
            Assert.Equal("server_error", v.GetProperty("bare").GetProperty("code").GetString());
        });
    }

    [BrowserFact]
    public async Task An_unreachable_server_is_a_network_error()
    {
        await using var tab = await fixture.NewTabAsync(nameof(An_unreachable_server_is_a_network_error));
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            var e = Err(await Run(tab, "return await sdk.createPasskeysClient({ baseUrl: 'http://localhost:9' }).signIn();"));
            Assert.Equal("network_error", e.GetProperty("code").GetString());
            Assert.Equal("TypeError", e.GetProperty("causeName").GetString());
        });
    }

    [BrowserFact]
    public async Task A_relying_party_id_the_page_may_not_use_is_a_security_error()
    {
        await using var tab = await fixture.NewTabAsync(nameof(A_relying_party_id_the_page_may_not_use_is_a_security_error), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            var e = Err(await Run(tab, "return await sdk.startRegistration(creation({ rp: { id: 'example.com', name: 'Elsewhere' } }));"));
            Assert.Equal("security_error", e.GetProperty("code").GetString());
            Assert.Equal("SecurityError", e.GetProperty("causeName").GetString());
        });
    }

    [BrowserFact]
    public async Task Every_DOMException_name_maps_to_a_stable_code_with_a_plain_message()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Every_DOMException_name_maps_to_a_stable_code_with_a_plain_message));
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            var v = Ok(await Run(tab, """
                const names = ['AbortError', 'NotAllowedError', 'InvalidStateError', 'NotSupportedError', 'ConstraintError',
                               'SecurityError', 'TimeoutError', 'UnknownError', 'EncodingError', 'DataError'];
                const out = {};
                for (const ceremony of ['registration', 'authentication']) {
                  for (const name of names) {
                    const cause = new DOMException('technical text', name);
                    const e = sdk.toPasskeyError(cause, { ceremony, platformAuthenticator: true });
                    out[ceremony + ':' + name] = { code: e.code, message: e.message, causeKept: e.cause === cause, technical: e.message.includes('technical text') };
                  }
                }
                return out;
                """));
            var expected = new Dictionary<string, string>
            {
                ["registration:AbortError"] = "aborted", ["registration:NotAllowedError"] = "cancelled",
                ["registration:InvalidStateError"] = "already_registered", ["registration:NotSupportedError"] = "not_supported",
                ["registration:ConstraintError"] = "user_verification_unavailable", ["registration:SecurityError"] = "security_error",
                ["registration:TimeoutError"] = "timeout", ["registration:UnknownError"] = "authenticator_error",
                ["registration:EncodingError"] = "invalid_options", ["registration:DataError"] = "unknown",
                ["authentication:NotAllowedError"] = "cancelled", ["authentication:InvalidStateError"] = "cancelled",
            };
            foreach (var (key, code) in expected)
            {
                Assert.Equal(code, v.GetProperty(key).GetProperty("code").GetString());
            }
            foreach (var entry in v.EnumerateObject())
            {
                Assert.True(entry.Value.GetProperty("causeKept").GetBoolean(), entry.Name);
                Assert.False(entry.Value.GetProperty("technical").GetBoolean(), $"{entry.Name} leaks the technical text");
                Assert.False(string.IsNullOrWhiteSpace(entry.Value.GetProperty("message").GetString()), entry.Name);
            }
        });
    }

    [BrowserFact]
    public async Task The_server_serves_the_module_and_its_types()
    {
        await using var tab = await fixture.NewTabAsync(nameof(The_server_serves_the_module_and_its_types));
        await tab.RunAsync(async () =>
        {
            var js = await tab.Page.APIRequest.GetAsync("/sdk/passkeys.js");
            Assert.Equal(200, js.Status);
            Assert.Contains("javascript", js.Headers["content-type"], StringComparison.Ordinal);
            var types = await tab.Page.APIRequest.GetAsync("/sdk/passkeys.d.ts");
            Assert.Equal(200, types.Status);
            Assert.Contains("export declare function startRegistration", await types.TextAsync(), StringComparison.Ordinal);
        });
    }

    [BrowserFact]
    public async Task The_entry_module_exports_exactly_what_its_types_declare()
    {
        // passkeys.js re-exports its modules name by name: a name left out, or a module's private
        // helper let out, shows here as a difference from passkeys.d.ts.
        await using var tab = await fixture.NewTabAsync(nameof(The_entry_module_exports_exactly_what_its_types_declare));
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            var exported = await tab.Page.EvaluateAsync<string[]>("() => Object.keys(window.sdk)");
            var types = await File.ReadAllTextAsync(Path.Combine(BrowserEnvironment.WebRoot, "sdk", "passkeys.d.ts"));
            var declared = System.Text.RegularExpressions.Regex.Matches(types, @"^export declare (?:const|function|class) ([A-Za-z0-9_]+)", System.Text.RegularExpressions.RegexOptions.Multiline)
                .Select(m => m.Groups[1].Value).Distinct();
            Assert.Equal(declared.Order(StringComparer.Ordinal), exported.Order(StringComparer.Ordinal));
        });
    }

    [BrowserFact]
    public async Task Base64url_round_trips_every_byte_value()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Base64url_round_trips_every_byte_value));
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
            var expected = Convert.ToBase64String(all).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var v = Ok(await Run(tab, """
                const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
                const text = sdk.bufferToBase64url(bytes);
                const back = new Uint8Array(sdk.base64urlToBuffer(text));
                return { text, same: back.every((b, i) => b === i) && back.length === 256 };
                """));
            Assert.Equal(expected, v.GetProperty("text").GetString());
            Assert.True(v.GetProperty("same").GetBoolean());
        });
    }

    [BrowserFact]
    public async Task The_session_helper_refreshes_once_for_concurrent_callers_retries_once_on_TokenExpired_and_ends_on_refusal()
    {
        await using var tab = await fixture.NewTabAsync(nameof(The_session_helper_refreshes_once_for_concurrent_callers_retries_once_on_TokenExpired_and_ends_on_refusal));
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            var v = Ok(await Run(tab, """
                const b64 = (o) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
                const jwt = (life) => 'h.' + b64({ iat: 1000, exp: 1000 + life }) + '.s';
                const calls = [];
                let n = 0;
                const fake = {
                  async refreshSession(rt) {
                    calls.push(rt);
                    await new Promise((r) => setTimeout(r, 50));
                    n++;
                    return { token: jwt(300), tokenExpiresAt: '', refreshToken: 'pkr_' + n, refreshTokenExpiresAt: 'x', sessionId: 's1', sessionExpiresAt: 'y' };
                  },
                  async revokeSession(rt) { calls.push('revoke:' + rt); },
                };
                const map = new Map();
                const storage = { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => map.set(k, v), removeItem: (k) => map.delete(k) };
                let ended = null;
                const s = sdk.createSession(fake, { storage, key: 'k', onEnd: (e) => { ended = e.code; } });
                // An access token with 30 s to live is inside the 60 s margin: refresh before use.
                s.save({ token: jwt(30), tokenExpiresAt: '', refreshToken: 'pkr_0', refreshTokenExpiresAt: 'x', sessionId: 's1', sessionExpiresAt: 'y' }, { user: { name: 'a' } });
                const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => s.getAccessToken()));
                const concurrent = calls.slice();
                // Fresh now: no refresh. A 401 TokenExpired from the server: one refresh, one retry.
                let attempts = 0;
                const retried = await s.withToken(async (t) => {
                  attempts++;
                  if (attempts === 1) throw sdk.PasskeyError.fromProblem({ code: 1018, error: 'TokenExpired', status: 401 }, 401);
                  return t;
                });
                const afterRetry = calls.slice();
                // Other failures are not retried.
                let notRetried = 0;
                try { await s.withToken(async () => { notRetried++; throw sdk.PasskeyError.fromProblem({ code: 1011, error: 'CredentialNotFound', status: 404 }, 404); }); } catch { }
                const user = s.get().user.name;
                // The server refuses the session: it is forgotten and onEnd hears why.
                fake.refreshSession = async () => { throw sdk.PasskeyError.fromProblem({ code: 1021, error: 'RefreshTokenReused', status: 401 }, 401); };
                let refusal = null;
                try { await s.refresh(); } catch (e) { refusal = e.code; }
                const afterEnd = s.get();
                // Sign out revokes on the server.
                s.save({ token: jwt(300), tokenExpiresAt: '', refreshToken: 'pkr_z', refreshTokenExpiresAt: 'x', sessionId: 's2', sessionExpiresAt: 'y' });
                await s.signOut();
                return { concurrent, distinct: new Set(tokens).size, afterRetry, attempts,
                  notRetried, user, refusal, ended, afterEnd, lastCall: calls[calls.length - 1], signedIn: s.signedIn };
                """));
            Assert.Equal(["pkr_0"], v.GetProperty("concurrent").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(1, v.GetProperty("distinct").GetInt32());
            Assert.Equal(["pkr_0", "pkr_1"], v.GetProperty("afterRetry").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(2, v.GetProperty("attempts").GetInt32());
            Assert.Equal(1, v.GetProperty("notRetried").GetInt32());
            Assert.Equal("a", v.GetProperty("user").GetString());
            Assert.Equal("RefreshTokenReused", v.GetProperty("refusal").GetString());
            Assert.Equal("RefreshTokenReused", v.GetProperty("ended").GetString());
            Assert.Equal(JsonValueKind.Null, v.GetProperty("afterEnd").ValueKind);
            Assert.Equal("revoke:pkr_z", v.GetProperty("lastCall").GetString());
            Assert.False(v.GetProperty("signedIn").GetBoolean());
        });
    }
}
