using System.Text.Json;
using Passkeys.Browser.Tests.Infrastructure;
using Passkeys.Server.Storage;

namespace Passkeys.Browser.Tests;

/// <summary>
/// The SDK reports the browser side of a ceremony (sdk/report.js, docs/analytics.md): in real
/// Chromium a registration whose user verification fails throws NotAllowedError, never reaching the
/// server's finish; the ceremony's funnel row must still learn that its prompt was shown and how it ended.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SdkReportTests(BrowserFixture fixture)
{
    private async Task<CeremonyOutcomeRecord> RowAsync(string ceremonyId, Func<CeremonyOutcomeRecord, bool> until)
    {
        var store = fixture.Server.Services<IPasskeyStore>();
        // The reports are fire-and-forget: wait (bounded) for them to arrive.
        for (var i = 0; i < 100; i++)
        {
            var row = await store.GetCeremonyOutcomeAsync("default", ceremonyId);
            if (row is not null && until(row))
            {
                return row;
            }
            await Task.Delay(100);
        }
        return await store.GetCeremonyOutcomeAsync("default", ceremonyId) ?? throw new InvalidOperationException("no funnel row for " + ceremonyId);
    }

    [BrowserFact]
    public async Task A_prompt_the_browser_refuses_is_reported_as_shown_and_cancelled()
    {
        await using var tab = await fixture.NewTabAsync(nameof(A_prompt_the_browser_refuses_is_reported_as_shown_and_cancelled),
            AuthenticatorOptions.Platform with { IsUserVerified = false });
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab);
            // The client's register(), with its fetch wrapped to learn the ceremony id the server gave.
            var result = await SdkPage.RunAsync(tab, SdkPage.RegisterLearningCeremonyId, "report-" + Guid.NewGuid().ToString("N")[..6]);
            Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
            var v = result.GetProperty("value");
            Assert.True(v.GetProperty("threw").GetBoolean());
            Assert.Equal("NotAllowedError", v.GetProperty("cause").GetString());
            var ceremonyId = v.GetProperty("ceremonyId").GetString()!;
            // A page without focus is refused by the browser without asking: reported as such.
            var expected = v.GetProperty("focused").GetBoolean() ? "cancelled" : "not-allowed";

            var row = await RowAsync(ceremonyId, r => r.ClientOutcome is not null && r.PromptShownAt is not null);
            Assert.Equal(("registration", "modal"), (row.Kind, row.Mediation));
            Assert.NotNull(row.PromptShownAt);
            Assert.Equal(expected, row.ClientOutcome);
            Assert.Null(row.ServerOutcome); // the server never got an answer
            Assert.Equal(("Chrome", "Linux", "desktop"), (row.Browser, row.Os, row.DeviceType));
        });
    }

    [BrowserFact]
    public async Task Autofill_begins_as_conditional_and_a_signed_in_ceremony_reports_no_outcome()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Autofill_begins_as_conditional_and_a_signed_in_ceremony_reports_no_outcome), AuthenticatorOptions.Platform);
        await tab.RunAsync(async () =>
        {
            await SdkPage.OpenAsync(tab, "<label>Username <input id=u autocomplete=\"username webauthn\"></label>");
            var result = await SdkPage.RunAsync(tab, """
                const ids = [];
                const client = sdk.createPasskeysClient({ fetch: async (url, init) => {
                  const res = await fetch(url, init);
                  if (/\/(registration|authentication)\/begin$/.test(String(url))) ids.push((await res.clone().json()).ceremonyId);
                  return res;
                } });
                await client.register({ user: { name: 'auto-' + Math.random().toString(36).slice(2, 8) } });
                await client.signIn({ autofill: true });
                return ids;
                """);
            Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
            var ids = result.GetProperty("value").EnumerateArray().Select(e => e.GetString()!).ToList();
            var signIn = await RowAsync(ids[1], r => r.PromptShownAt is not null && r.ServerOutcome is not null);
            Assert.Equal(("sign-in", "conditional", "succeeded"), (signIn.Kind, signIn.Mediation, signIn.ServerOutcome));
            Assert.NotNull(signIn.PromptShownAt);
            Assert.Null(signIn.ClientOutcome);
            var registration = await RowAsync(ids[0], r => r.PromptShownAt is not null);
            Assert.Equal(("modal", "succeeded"), (registration.Mediation, registration.ServerOutcome));
        });
    }
}
