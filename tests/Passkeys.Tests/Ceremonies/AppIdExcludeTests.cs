using System.Text.Json.Nodes;
using Passkeys.Authenticator.Client;
using Passkeys.Ceremonies;
using static Passkeys.Tests.Ceremonies.Scenario;

namespace Passkeys.Tests.Ceremonies;

/// <summary>
/// The appidExclude extension (WebAuthn L3 §10.1.2) end to end: the relying party lists a user's
/// credentials in excludeCredentials, including one registered through legacy U2F under the AppID,
/// and the software client refuses to create a second credential on the authenticator holding it.
/// </summary>
public class AppIdExcludeTests
{
    private const string AppId = "https://example.com/appid.json";

    private static RegistrationRequest Request(CredentialRecord? excluded = null, string? appIdExclude = AppId) => new()
    {
        User = new UserIdentity(UserId, "alice", "Alice"),
        ExcludeCredentials = excluded is null ? [] : [new CredentialDescriptor(excluded.Id)],
        Extensions = new RegistrationExtensions { AppIdExclude = appIdExclude },
    };

    private static JsonNode? Output(string response) => JsonNode.Parse(response)!["clientExtensionResults"]!["appidExclude"];

    [Fact]
    public void Begin_registration_sends_appidExclude_and_keeps_it_in_the_state()
    {
        using var s = new Scenario();
        var ceremony = s.BeginRegistration(Request());
        Assert.Equal(AppId, JsonNode.Parse(ceremony.OptionsJson)!["extensions"]!["appidExclude"]!.GetValue<string>());
        Assert.Equal(AppId, RegistrationState.Deserialize(ceremony.State.Serialize()).Extensions.AppIdExclude);
        Assert.Null(JsonNode.Parse(s.BeginRegistration(Request(appIdExclude: null)).OptionsJson)!["extensions"]!["appidExclude"]);
    }

    [Fact]
    public async Task A_U2F_credential_under_the_AppID_in_excludeCredentials_blocks_registration()
    {
        using var s = new Scenario();
        var u2f = AppIdTests.RegisterU2f(s);
        int held = s.Authenticator.Store.Credentials.Count;
        var e = await Assert.ThrowsAsync<WebAuthnClientException>(() => s.CreateAsync(Request(u2f)));
        Assert.Equal(WebAuthnClientException.InvalidStateError, e.Name);
        Assert.Equal(held, s.Authenticator.Store.Credentials.Count);
    }

    [Fact]
    public async Task Without_appidExclude_a_U2F_credential_in_excludeCredentials_does_not_block_registration()
    {
        using var s = new Scenario();
        var u2f = AppIdTests.RegisterU2f(s);
        var (response, state) = await s.CreateAsync(Request(u2f, appIdExclude: null));
        Assert.Null(Output(response));
        Assert.NotEqual(u2f.Id, s.RelyingParty.FinishRegistration(response, state).Credential.Id);
    }

    [Theory]
    [InlineData(UnrequestedExtensionPolicy.Ignore)]
    [InlineData(UnrequestedExtensionPolicy.Reject)]
    public async Task REG_28_ext_process_accepts_the_appidExclude_output_when_it_was_requested(UnrequestedExtensionPolicy policy)
    {
        using var s = new Scenario();
        s.Options.UnrequestedExtensions = policy;
        // The U2F credential is under another AppID, so nothing is excluded and the output is echoed.
        var u2f = AppIdTests.RegisterU2f(s, "https://example.com/other-appid.json");
        var (response, state) = await s.CreateAsync(Request(u2f));
        Assert.True(Output(response)!.GetValue<bool>());
        var registered = s.RelyingParty.FinishRegistration(response, RegistrationState.Deserialize(state.Serialize()));
        Assert.Equal(UserId, registered.Credential.UserHandle);
    }

    [Fact]
    public async Task REG_28_ext_process_treats_an_unrequested_appidExclude_output_by_policy()
    {
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync(Request(appIdExclude: null));
        string withOutput = Edit(response, o => o["clientExtensionResults"]!["appidExclude"] = true);
        s.RelyingParty.FinishRegistration(withOutput, state);
        s.Options.UnrequestedExtensions = UnrequestedExtensionPolicy.Reject;
        Assert.Equal(PasskeyError.UnexpectedExtensionOutput, ErrorOf(() => s.RelyingParty.FinishRegistration(withOutput, state)));
    }

    [Fact]
    public async Task REG_28_ext_process_rejects_an_appidExclude_output_that_is_not_a_boolean()
    {
        using var s = new Scenario();
        var (response, state) = await s.CreateAsync(Request());
        string edited = Edit(response, o => o["clientExtensionResults"]!["appidExclude"] = "true");
        Assert.Equal(PasskeyError.InvalidExtensionOutput, ErrorOf(() => s.RelyingParty.FinishRegistration(edited, state)));
    }

    [Theory]
    [InlineData("https://example.com/appid.json")]
    [InlineData("https://example.com")]
    [InlineData("https://login.example.com/u2f/appid.json")]
    [InlineData("https://EXAMPLE.com:8443/appid.json")]
    public void An_https_AppID_on_the_RP_ID_or_a_subdomain_of_it_is_accepted(string appId)
    {
        using var s = new Scenario();
        Assert.Equal(appId, JsonNode.Parse(s.BeginRegistration(Request(appIdExclude: appId)).OptionsJson)!["extensions"]!["appidExclude"]!.GetValue<string>());
    }

    [Fact]
    public void An_AppID_on_a_registrable_domain_the_RP_ID_belongs_to_is_accepted()
    {
        using var s = new Scenario();
        s.Options.RpId = "login.example.com";
        s.BeginRegistration(Request(appIdExclude: "https://example.com/appid.json"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("example.com")]
    [InlineData("/appid.json")]
    [InlineData("http://example.com/appid.json")]
    [InlineData("ftp://example.com/appid.json")]
    [InlineData("https://user@example.com/appid.json")]
    [InlineData("https://other.com/appid.json")]
    [InlineData("https://notexample.com/appid.json")]
    [InlineData("https://example.com.evil.net/appid.json")]
    [InlineData("https://com/appid.json")]
    [InlineData("https://192.168.1.10/appid.json")]
    [InlineData("https://[::1]/appid.json")]
    public void Fails_when_appidExclude_is_not_an_https_URL_on_the_RP_ID(string appId)
    {
        using var s = new Scenario();
        Assert.Equal(PasskeyError.InvalidConfiguration, ErrorOf(() => s.BeginRegistration(Request(appIdExclude: appId))));
    }
}
