using System.Security.Cryptography;
using System.Text.Json;
using Passkeys.Authenticator.Client;
using Passkeys.Encoding;
using static Passkeys.Authenticator.Tests.TestKit;

namespace Passkeys.Authenticator.Tests;

/// <summary>The appid extension (WebAuthn L3 §10.1.1) as the software client runs it.</summary>
public class AppIdTests
{
    private const string AppId = "https://example.com/appid.json";

    private static async Task<string> ErrorName(Func<Task> action) => (await Assert.ThrowsAsync<WebAuthnClientException>(action)).Name;

    private static string RequestOptionsWithAppId(string allow, string appIdJson = $"\"{AppId}\"") =>
        RequestOptions(allow: allow).TrimEnd().TrimEnd('}') + ",\"extensions\":{\"appid\":" + appIdJson + "}}";

    /// <summary>A credential registered through legacy U2F: scoped to the AppID string, fido-u2f attested, not discoverable.</summary>
    private static MakeCredentialResponse RegisterU2f(SoftwareAuthenticator authenticator, string appId = AppId)
    {
        var attestation = authenticator.Options.Attestation;
        authenticator.Options.Attestation = AttestationKind.FidoU2f;
        try
        {
            return authenticator.MakeCredential(new MakeCredentialRequest
            {
                ClientDataHash = SHA256.HashData("u2f registration"u8),
                Rp = new RelyingPartyEntity(appId),
                User = new UserEntity(UserId),
                PubKeyCredParams = [SupportedAlgorithms.ES256],
            });
        }
        finally
        {
            authenticator.Options.Attestation = attestation;
        }
    }

    private static JsonElement ExtensionResults(string json) => Json(json).GetProperty("clientExtensionResults");

    private static byte[] RpIdHashOf(string json) => B64(Json(json).GetProperty("response"), "authenticatorData")[..32];

    [Fact]
    public async Task A_U2F_credential_is_found_under_the_AppID_and_appid_is_true()
    {
        var (authenticator, client) = Create();
        var u2f = RegisterU2f(authenticator);
        Assert.Equal("fido-u2f", u2f.Fmt);
        Assert.Equal(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(AppId)), u2f.AuthenticatorData[..32]);

        string json = await client.GetAsync(RequestOptionsWithAppId(Allow(Base64UrlStrict.Encode(u2f.CredentialId))));

        Assert.Equal(JsonValueKind.True, ExtensionResults(json).GetProperty("appid").ValueKind);
        Assert.Equal(Base64UrlStrict.Encode(u2f.CredentialId), Json(json).GetProperty("id").GetString());
        Assert.Equal(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(AppId)), RpIdHashOf(json));
        var response = Json(json).GetProperty("response");
        Assert.True(VerifyWithSpki(u2f.SubjectPublicKeyInfo, u2f.Algorithm, SignedData(response), B64(response, "signature")));
        Assert.False(response.TryGetProperty("userHandle", out _));
    }

    [Fact]
    public async Task A_credential_for_the_RP_ID_is_used_first_and_appid_is_false()
    {
        var (authenticator, client) = Create();
        var u2f = RegisterU2f(authenticator);
        string passkeyId = Json(await client.CreateAsync(CreationOptions())).GetProperty("id").GetString()!;
        string allow = $$"""[{"type":"public-key","id":"{{Base64UrlStrict.Encode(u2f.CredentialId)}}"},{"type":"public-key","id":"{{passkeyId}}"}]""";

        string json = await client.GetAsync(RequestOptionsWithAppId(allow));

        Assert.Equal(JsonValueKind.False, ExtensionResults(json).GetProperty("appid").ValueKind);
        Assert.Equal(passkeyId, Json(json).GetProperty("id").GetString());
        Assert.Equal(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(RpId)), RpIdHashOf(json));
    }

    [Fact]
    public async Task Without_the_input_there_is_no_appid_output()
    {
        var (_, client) = Create();
        await client.CreateAsync(CreationOptions());
        string json = await client.GetAsync(RequestOptions());
        Assert.Equal("{}", ExtensionResults(json).GetRawText());
    }

    [Fact]
    public async Task The_AppID_is_not_tried_without_allowCredentials_because_U2F_credentials_are_not_discoverable()
    {
        var (authenticator, client) = Create();
        RegisterU2f(authenticator);
        Assert.Equal("NotAllowedError", await ErrorName(() => client.GetAsync(RequestOptionsWithAppId("[]"))));
    }

    [Fact]
    public async Task A_credential_under_the_AppID_but_not_in_allowCredentials_is_not_used()
    {
        var (authenticator, client) = Create();
        RegisterU2f(authenticator);
        var other = RegisterU2f(authenticator, "https://example.com/other-appid.json");
        Assert.Equal("NotAllowedError", await ErrorName(() => client.GetAsync(RequestOptionsWithAppId(Allow(Base64UrlStrict.Encode(other.CredentialId))))));
    }

    [Theory]
    [InlineData("https://example.com/appid.json")]
    [InlineData("https://login.example.com/appid.json")]
    [InlineData("https://login.example.com:8443/u2f/appid")]
    [InlineData("https://login.example.com")]
    public async Task An_https_AppID_on_the_origin_domain_or_a_registrable_suffix_is_accepted(string appId)
    {
        var (authenticator, client) = Create();
        var u2f = RegisterU2f(authenticator, appId);
        string json = await client.GetAsync(RequestOptionsWithAppId(Allow(Base64UrlStrict.Encode(u2f.CredentialId)), $"\"{appId}\""));
        Assert.True(ExtensionResults(json).GetProperty("appid").GetBoolean());
    }

    [Theory]
    [InlineData("http://example.com/appid.json")]
    [InlineData("https://other.com/appid.json")]
    [InlineData("https://notexample.com/appid.json")]
    [InlineData("https://com/appid.json")]
    [InlineData("https://u2f.example.com/appid.json")] // a sibling host: a browser would allow it (same eTLD+1); see AppIdValidator
    [InlineData("https://192.168.1.10/appid.json")]
    [InlineData("example.com")]
    [InlineData("")]
    public async Task An_AppID_the_origin_may_not_claim_is_a_SecurityError_before_the_authenticator_is_asked(string appId)
    {
        var (authenticator, client) = Create();
        var u2f = RegisterU2f(authenticator, appId);
        Assert.Equal("SecurityError", await ErrorName(() => client.GetAsync(RequestOptionsWithAppId(Allow(Base64UrlStrict.Encode(u2f.CredentialId)), $"\"{appId}\""))));
        Assert.Equal(1u, authenticator.Store.Credentials.Single().SignCount);
    }

    [Fact]
    public async Task An_appid_input_that_is_not_a_string_is_a_TypeError()
    {
        var (_, client) = Create();
        Assert.Equal("TypeError", await ErrorName(() => client.GetAsync(RequestOptionsWithAppId("[]", "true"))));
    }
}
