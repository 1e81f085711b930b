using System.Text.Json;
using Microsoft.Playwright;
using Passkeys.Browser.Tests.Infrastructure;

namespace Passkeys.Browser.Tests;

/// <summary>
/// A bare page on the server's origin that loads nothing but the SDK (window.sdk), so SDK tests
/// don't race the demo site's own ceremonies. The HTML is supplied by Playwright's router; the SDK
/// itself is the real file served by the server at /sdk/passkeys.js.
/// </summary>
internal static class SdkPage
{
    public const string Path = "/__sdk-test/page.html";

    public static async Task OpenAsync(Tab tab, string body = "", bool removeNativeJson = false)
    {
        if (removeNativeJson)
        {
            // The fallback path: a browser without the WebAuthn L3 JSON helpers.
            await tab.Page.AddInitScriptAsync("""
                delete PublicKeyCredential.parseCreationOptionsFromJSON;
                delete PublicKeyCredential.parseRequestOptionsFromJSON;
                delete PublicKeyCredential.prototype.toJSON;
                """);
        }
        await tab.Page.RouteAsync("**" + Path, route => route.FulfillAsync(new()
        {
            Status = 200,
            ContentType = "text/html; charset=utf-8",
            Body = $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>SDK test</title></head><body>{body}" +
                   "<script type=\"module\">import * as sdk from '/sdk/passkeys.js'; window.sdk = sdk; window.sdkReady = true;</script></body></html>",
        }));
        await tab.Page.GotoAsync(Path);
        await tab.Page.WaitForFunctionAsync("() => window.sdkReady === true");
    }

    /// <summary>
    /// A <see cref="RunAsync"/> body: the SDK's register() for the user named `arg`, its fetch wrapped
    /// to learn the ceremony id the server gave. Returns { ceremonyId, focused, threw } and, when it
    /// threw, the error's code, reason and cause's name.
    /// </summary>
    public const string RegisterLearningCeremonyId = """
        let ceremonyId;
        const client = sdk.createPasskeysClient({ fetch: async (url, init) => {
          const res = await fetch(url, init);
          if (String(url).endsWith('/registration/begin')) ceremonyId = (await res.clone().json()).ceremonyId;
          return res;
        } });
        const focused = document.hasFocus();
        try {
          await client.register({ user: { name: arg } });
          return { ceremonyId, focused, threw: false };
        } catch (e) {
          return { ceremonyId, focused, threw: true, code: e.code, reason: e.reason, cause: e.cause?.name };
        }
        """;

    /// <summary>
    /// Runs an async function body with `sdk` and `arg` in scope; it returns a value that is
    /// JSON.stringify'd in the page. A thrown error comes back as { error: PasskeyError.toJSON() }.
    /// </summary>
    public static Task<JsonElement> RunAsync(Tab tab, string asyncBody, object? arg = null) =>
        tab.Page.EvalJsonAsync($$"""
            async (arg) => {
              const sdk = window.sdk;
              try {
                const value = await (async () => { {{asyncBody}} })();
                return JSON.stringify({ ok: true, value: value === undefined ? null : value });
              } catch (e) {
                return JSON.stringify({ ok: false, error: {
                  name: e?.name, code: e?.code, message: e?.message, detail: e?.detail,
                  isPasskeyError: e instanceof sdk.PasskeyError,
                  causeName: e?.cause?.name, causeMessage: e?.cause?.message } });
              }
            }
            """, arg);
}
