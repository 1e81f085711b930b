using Passkeys.Browser.Tests.Infrastructure;

namespace Passkeys.Browser.Tests;

/// <summary>
/// A registration the tenant's attestation policy refuses (server 1114–1119, and the library's
/// 305/307–309) is one SDK reason, <c>authenticator-not-accepted</c>, and the demo pages show the
/// server's plain message, which says which case it is and what to use instead.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AttestationRefusalTests(BrowserFixture fixture)
{
    [BrowserFact]
    public async Task Every_policy_refusal_is_authenticator_not_accepted_and_shows_the_servers_message()
    {
        await using var tab = await fixture.NewTabAsync(nameof(Every_policy_refusal_is_authenticator_not_accepted_and_shows_the_servers_message));
        await tab.RunAsync(async () =>
        {
            var page = tab.Page;
            await page.GotoAsync("/404.html");
            var said = await page.EvalJsonAsync("""
                async () => {
                  const sdk = await import('/sdk/passkeys.js');
                  const { messageFor } = await import('/js/messages.js');
                  const names = ['AttestationMissing', 'AttestationUnverified', 'AttestationUntrusted', 'AaguidDenied', 'AaguidNotAllowed', 'AuthenticatorRevoked',
                    'AttestationNotTrusted', 'AttestationRequired', 'AuthenticatorNotAllowed', 'AuthenticatorStatusRejected'];
                  const out = { constant: sdk.Reason.AuthenticatorNotAccepted };
                  for (const name of names) {
                    const error = sdk.PasskeyError.fromProblem({ error: name, code: 1114, status: 403, detail: 'server says ' + name }, 403);
                    out[name] = error.reason + '|' + messageFor(error, 'sign-up');
                  }
                  out.withoutServer = messageFor(new sdk.PasskeyError('x', 'x', { reason: 'authenticator-not-accepted' }), 'add');
                  return JSON.stringify(out);
                }
                """);
            Assert.Equal("authenticator-not-accepted", said.GetProperty("constant").GetString());
            foreach (var name in new[] { "AttestationMissing", "AttestationUnverified", "AttestationUntrusted", "AaguidDenied", "AaguidNotAllowed",
                "AuthenticatorRevoked", "AttestationNotTrusted", "AttestationRequired", "AuthenticatorNotAllowed", "AuthenticatorStatusRejected" })
            {
                Assert.Equal($"authenticator-not-accepted|server says {name}", said.GetProperty(name).GetString());
            }
            Assert.Contains("Use another security key", said.GetProperty("withoutServer").GetString(), StringComparison.Ordinal);
        });
    }
}
