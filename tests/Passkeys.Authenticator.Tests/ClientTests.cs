using System.Security.Cryptography;
using Passkeys.Authenticator.Client;
using Passkeys.Encoding;
using static Passkeys.Authenticator.Tests.TestKit;

namespace Passkeys.Authenticator.Tests;

public class ClientTests
{
    private static async Task<string> ErrorName(Func<Task> action) => (await Assert.ThrowsAsync<WebAuthnClientException>(action)).Name;

    [Theory]
    [InlineData("https://example.com", "example.com")]
    [InlineData("https://login.example.com", "example.com")]
    [InlineData("https://login.example.com", "login.example.com")]
    [InlineData("http://localhost:5000", "localhost")]
    public async Task RpId_equal_to_or_a_registrable_suffix_of_the_origin_domain_is_accepted(string origin, string rpId)
    {
        var (_, client) = Create(origin: origin);
        Assert.NotNull(await client.CreateAsync(CreationOptions(rpId: rpId)));
    }

    [Theory]
    [InlineData("https://login.example.com", "other.com")]
    [InlineData("https://example.com", "login.example.com")]
    [InlineData("https://notexample.com", "example.com")]
    [InlineData("https://login.example.com", "com")]
    [InlineData("https://192.168.1.10", "192.168.1.10")]
    [InlineData("https://[::1]", "::1")]
    [InlineData("http://example.com", "example.com")]
    public async Task Origins_and_rpIds_a_browser_refuses_are_a_SecurityError(string origin, string rpId)
    {
        var (_, client) = Create(origin: origin);
        Assert.Equal("SecurityError", await ErrorName(() => client.CreateAsync(CreationOptions(rpId: rpId))));
        Assert.Equal("SecurityError", await ErrorName(() => client.GetAsync(RequestOptions(rpId: rpId))));
    }

    [Fact]
    public async Task ExcludeCredentials_matching_a_held_credential_is_an_InvalidStateError()
    {
        var (_, client) = Create();
        string id = Json(await client.CreateAsync(CreationOptions())).GetProperty("id").GetString()!;
        Assert.Equal("InvalidStateError", await ErrorName(() => client.CreateAsync(CreationOptions(exclude: Allow(id)))));
    }

    [Fact]
    public async Task No_supported_algorithm_is_a_NotSupportedError_carrying_the_authenticators_reason()
    {
        var (_, client) = Create();
        var refused = await Assert.ThrowsAsync<WebAuthnClientException>(() => client.CreateAsync(CreationOptions(algs: "-65535")));
        Assert.Equal("NotSupportedError", refused.Name);
        var ctap = Assert.IsType<CtapException>(refused.InnerException);
        Assert.Equal(CtapStatus.UnsupportedAlgorithm, ctap.Status);
        Assert.Contains(ctap.Message, refused.Message, StringComparison.Ordinal);
        Assert.Contains("-65535", ctap.Message, StringComparison.Ordinal);   // what was asked for
    }

    [Fact]
    public async Task A_user_slower_than_the_timeout_is_a_NotAllowedError()
    {
        var (_, client) = Create();
        client.Options.UserResponseDelay = TimeSpan.FromSeconds(5);
        string options = CreationOptions().Replace("\"timeout\":60000", "\"timeout\":50", StringComparison.Ordinal);
        Assert.Equal("NotAllowedError", await ErrorName(() => client.CreateAsync(options)));
    }

    [Fact]
    public async Task Cancelling_is_an_AbortError()
    {
        var (_, client) = Create();
        client.Options.UserResponseDelay = TimeSpan.FromSeconds(30);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.Equal("AbortError", await ErrorName(() => client.CreateAsync(CreationOptions(), cts.Token)));
    }

    [Fact]
    public async Task Required_user_verification_on_a_device_without_it_is_a_NotAllowedError()
    {
        var (_, client) = Create(new SoftwareAuthenticatorOptions { Seed = 1, SupportsUserVerification = false });
        Assert.Equal("NotAllowedError", await ErrorName(() => client.CreateAsync(CreationOptions(userVerification: "required"))));
        var preferred = Json(await client.CreateAsync(CreationOptions(userVerification: "preferred")));
        Assert.False(ParsedAuthData.Parse(B64(preferred.GetProperty("response"), "authenticatorData")).UV);
    }

    [Fact]
    public async Task A_conditional_create_asks_for_no_presence_and_the_UP_flag_is_clear()
    {
        var (_, client) = Create();
        // The user is slow, but a conditional create shows no prompt, so nothing waits for them.
        client.Options.UserResponseDelay = TimeSpan.FromSeconds(30);
        var conditional = Json(await client.CreateAsync(CreationOptions(), CredentialMediation.Conditional));
        var authData = ParsedAuthData.Parse(B64(conditional.GetProperty("response"), "authenticatorData"));
        Assert.False(authData.UP);
        Assert.True(authData.UV); // verification is still asked for (preferred) and the device can do it

        client.Options.UserResponseDelay = TimeSpan.Zero;
        var modal = Json(await client.CreateAsync(CreationOptions(), CredentialMediation.Required));
        Assert.True(ParsedAuthData.Parse(B64(modal.GetProperty("response"), "authenticatorData")).UP);
    }

    [Fact]
    public async Task Failed_user_verification_is_a_NotAllowedError()
    {
        var (authenticator, client) = Create();
        authenticator.Options.UserVerified = false;
        Assert.Equal("NotAllowedError", await ErrorName(() => client.CreateAsync(CreationOptions(userVerification: "required"))));
    }

    [Fact]
    public async Task Requested_attachment_the_authenticator_lacks_is_a_NotAllowedError()
    {
        var (_, client) = Create();
        string options = CreationOptions().Replace("\"residentKey\"", "\"authenticatorAttachment\":\"cross-platform\",\"residentKey\"", StringComparison.Ordinal);
        Assert.Equal("NotAllowedError", await ErrorName(() => client.CreateAsync(options)));
    }

    [Fact]
    public async Task Cross_platform_authenticator_reports_its_attachment_and_usb_transport()
    {
        var (_, client) = Create(new SoftwareAuthenticatorOptions { Seed = 1, Attachment = AuthenticatorAttachmentKind.CrossPlatform });
        var json = Json(await client.CreateAsync(CreationOptions()));
        Assert.Equal("cross-platform", json.GetProperty("authenticatorAttachment").GetString());
        Assert.Equal("usb", json.GetProperty("response").GetProperty("transports")[0].GetString());
    }

    [Fact]
    public async Task Legacy_requireResidentKey_creates_a_discoverable_credential()
    {
        var (_, client) = Create();
        string options = CreationOptions().Replace("\"residentKey\":\"required\"", "\"requireResidentKey\":true", StringComparison.Ordinal)
            .Replace("\"extensions\":{}", "\"extensions\":{\"credProps\":true}", StringComparison.Ordinal);
        var json = Json(await client.CreateAsync(options));
        Assert.True(json.GetProperty("clientExtensionResults").GetProperty("credProps").GetProperty("rk").GetBoolean());
    }

    [Fact]
    public async Task Cross_origin_iframe_sets_crossOrigin_and_topOrigin_after_the_other_members()
    {
        var (_, client) = Create(topOrigin: "https://shop.example.net");
        var json = Json(await client.CreateAsync(CreationOptions()));
        Assert.Equal(
            $$"""{"type":"webauthn.create","challenge":"{{Base64UrlStrict.Encode(Challenge)}}","origin":"{{Origin}}","crossOrigin":true,"topOrigin":"https://shop.example.net"}""",
            System.Text.Encoding.UTF8.GetString(B64(json.GetProperty("response"), "clientDataJSON")));
    }

    [Fact]
    public async Task Malformed_options_are_TypeError_or_EncodingError()
    {
        var (_, client) = Create();
        Assert.Equal("TypeError", await ErrorName(() => client.CreateAsync("{\"challenge\":\"AAAA\"}")));
        Assert.Equal("TypeError", await ErrorName(() => client.GetAsync("not json")));
        Assert.Equal("EncodingError", await ErrorName(() => client.GetAsync("{\"challenge\":\"AA==\"}")));
    }

    [Fact]
    public async Task Response_members_are_in_WebIDL_lexicographic_order()
    {
        var (_, client) = Create();
        var reg = Json(await client.CreateAsync(CreationOptions()));
        Assert.Equal(["authenticatorAttachment", "clientExtensionResults", "id", "rawId", "response", "type"], reg.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["attestationObject", "authenticatorData", "clientDataJSON", "publicKey", "publicKeyAlgorithm", "transports"],
            reg.GetProperty("response").EnumerateObject().Select(p => p.Name));
        var auth = Json(await client.GetAsync(RequestOptions()));
        Assert.Equal(["authenticatorData", "clientDataJSON", "signature", "userHandle"], auth.GetProperty("response").EnumerateObject().Select(p => p.Name));
    }

    private static string ClientDataOf(string json) =>
        System.Text.Encoding.UTF8.GetString(B64(Json(json).GetProperty("response"), "clientDataJSON"));

    [Fact]
    public async Task WrongOrigin_changes_only_the_origin_in_client_data()
    {
        var (_, client) = Create();
        client.Options.Faults = ClientFaults.WrongOrigin;
        string cd = ClientDataOf(await client.CreateAsync(CreationOptions()));
        Assert.Equal($$"""{"type":"webauthn.create","challenge":"{{Base64UrlStrict.Encode(Challenge)}}","origin":"https://evil.example","crossOrigin":false}""", cd);
    }

    [Fact]
    public async Task WrongType_swaps_only_the_ceremony_type()
    {
        var (_, client) = Create();
        await client.CreateAsync(CreationOptions());
        client.Options.Faults = ClientFaults.WrongType;
        string cd = ClientDataOf(await client.GetAsync(RequestOptions()));
        Assert.Equal($$"""{"type":"webauthn.create","challenge":"{{Base64UrlStrict.Encode(Challenge)}}","origin":"{{Origin}}","crossOrigin":false}""", cd);
    }

    [Fact]
    public async Task AlteredChallenge_changes_only_the_challenge_and_the_assertion_still_verifies()
    {
        var (_, client) = Create();
        var reg = Json(await client.CreateAsync(CreationOptions()));
        client.Options.Faults = ClientFaults.AlteredChallenge;
        var response = Json(await client.GetAsync(RequestOptions())).GetProperty("response");
        var cd = Json(System.Text.Encoding.UTF8.GetString(B64(response, "clientDataJSON")));
        byte[] challenge = Base64UrlStrict.Decode(cd.GetProperty("challenge").GetString()!, "challenge");
        Assert.NotEqual(Challenge, challenge);
        Assert.Equal(Challenge[1..], challenge[1..]);
        Assert.Equal(Origin, cd.GetProperty("origin").GetString());
        Assert.True(VerifyWithSpki(B64(reg.GetProperty("response"), "publicKey"), -7, SignedData(response), B64(response, "signature")));
    }

    [Fact]
    public async Task Replay_returns_the_earlier_response_byte_for_byte_without_using_the_authenticator()
    {
        var (authenticator, client) = Create();
        await client.CreateAsync(CreationOptions());
        string first = await client.GetAsync(RequestOptions());
        uint counter = authenticator.Store.Credentials.Single().SignCount;
        client.Options.Faults = ClientFaults.Replay;
        Assert.Equal(first, await client.GetAsync(RequestOptions()));
        Assert.Equal(counter, authenticator.Store.Credentials.Single().SignCount);
    }
}
