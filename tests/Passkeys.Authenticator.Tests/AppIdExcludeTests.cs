using System.Security.Cryptography;
using System.Text.Json;
using Passkeys.Authenticator.Client;
using Passkeys.Encoding;
using static Passkeys.Authenticator.Tests.TestKit;

namespace Passkeys.Authenticator.Tests;

/// <summary>The appidExclude extension (WebAuthn L3 §10.1.2) as the software client runs it.</summary>
public class AppIdExcludeTests
{
    private const string AppId = "https://example.com/appid.json";

    private static async Task<string> ErrorName(Func<Task> action) => (await Assert.ThrowsAsync<WebAuthnClientException>(action)).Name;

    private static string Options(byte[]? excluded, string appIdExcludeJson = $"\"{AppId}\"") => CreationOptions(
        extensions: $$"""{"appidExclude":{{appIdExcludeJson}}}""",
        exclude: excluded is null ? "[]" : Allow(Base64UrlStrict.Encode(excluded)));

    /// <summary>A credential registered through legacy U2F: scoped to the AppID string, not discoverable.</summary>
    private static byte[] RegisterU2f(SoftwareAuthenticator authenticator, string appId = AppId) =>
        authenticator.MakeCredential(new MakeCredentialRequest
        {
            ClientDataHash = SHA256.HashData("u2f registration"u8),
            Rp = new RelyingPartyEntity(appId),
            User = new UserEntity(UserId),
            PubKeyCredParams = [SupportedAlgorithms.ES256],
        }).CredentialId;

    private static JsonElement ExtensionResults(string json) => Json(json).GetProperty("clientExtensionResults");

    [Fact]
    public async Task A_U2F_credential_under_the_AppID_in_excludeCredentials_is_an_InvalidStateError()
    {
        var (authenticator, client) = Create();
        byte[] u2f = RegisterU2f(authenticator);
        Assert.Equal("InvalidStateError", await ErrorName(() => client.CreateAsync(Options(u2f))));
        Assert.Single(authenticator.Store.Credentials);
    }

    [Fact]
    public async Task Without_appidExclude_the_U2F_credential_does_not_exclude_and_there_is_no_output()
    {
        var (authenticator, client) = Create();
        byte[] u2f = RegisterU2f(authenticator);
        string json = await client.CreateAsync(CreationOptions(exclude: Allow(Base64UrlStrict.Encode(u2f))));
        Assert.False(ExtensionResults(json).TryGetProperty("appidExclude", out _));
        Assert.Equal(2, authenticator.Store.Credentials.Count);
    }

    [Fact]
    public async Task The_output_is_true_when_nothing_is_excluded()
    {
        var (authenticator, client) = Create();
        byte[] other = RegisterU2f(authenticator, "https://example.com/other-appid.json");
        Assert.True(ExtensionResults(await client.CreateAsync(Options(other))).GetProperty("appidExclude").GetBoolean());
        Assert.True(ExtensionResults(await client.CreateAsync(Options(null))).GetProperty("appidExclude").GetBoolean());
    }

    [Fact]
    public async Task A_U2F_credential_not_in_excludeCredentials_does_not_exclude()
    {
        var (authenticator, client) = Create();
        RegisterU2f(authenticator);
        byte[] unrelated = [1, 2, 3, 4];
        Assert.True(ExtensionResults(await client.CreateAsync(Options(unrelated))).GetProperty("appidExclude").GetBoolean());
    }

    [Fact]
    public async Task A_passkey_in_excludeCredentials_still_excludes_with_appidExclude()
    {
        var (_, client) = Create();
        string id = Json(await client.CreateAsync(CreationOptions())).GetProperty("id").GetString()!;
        Assert.Equal("InvalidStateError", await ErrorName(() => client.CreateAsync(Options(Base64UrlStrict.Decode(id, "id")))));
    }

    [Fact]
    public async Task Without_a_touch_the_excluded_U2F_credential_is_a_NotAllowedError_as_for_a_passkey()
    {
        var (authenticator, client) = Create();
        byte[] u2f = RegisterU2f(authenticator);
        authenticator.Options.UserPresent = false;
        Assert.Equal("NotAllowedError", await ErrorName(() => client.CreateAsync(Options(u2f))));
    }

    [Theory]
    [InlineData("http://example.com/appid.json")]
    [InlineData("https://other.com/appid.json")]
    [InlineData("https://com/appid.json")]
    [InlineData("example.com")]
    [InlineData("")]
    public async Task An_AppID_the_origin_may_not_claim_is_a_SecurityError_before_the_authenticator_is_asked(string appId)
    {
        var (authenticator, client) = Create();
        byte[] u2f = RegisterU2f(authenticator, appId);
        Assert.Equal("SecurityError", await ErrorName(() => client.CreateAsync(Options(u2f, $"\"{appId}\""))));
        Assert.Equal(1u, authenticator.Store.Credentials.Single().SignCount);
    }

    [Fact]
    public async Task An_appidExclude_input_that_is_not_a_string_is_a_TypeError()
    {
        var (_, client) = Create();
        Assert.Equal("TypeError", await ErrorName(() => client.CreateAsync(Options(null, "true"))));
    }

    [Fact]
    public void A_silent_assertion_needs_no_touch_and_leaves_UP_clear()
    {
        var (authenticator, _) = Create();
        byte[] u2f = RegisterU2f(authenticator);
        authenticator.Options.UserPresent = false;
        var silent = new GetAssertionRequest { RpId = AppId, ClientDataHash = new byte[32], AllowList = [u2f], UserPresence = false };
        Assert.False(ParsedAuthData.Parse(authenticator.GetAssertion(silent).AuthenticatorData).UP);
        var touched = new GetAssertionRequest { RpId = AppId, ClientDataHash = new byte[32], AllowList = [u2f] };
        Assert.Equal(CtapStatus.UserActionTimeout, Assert.Throws<CtapException>(() => authenticator.GetAssertion(touched)).Status);
    }
}
