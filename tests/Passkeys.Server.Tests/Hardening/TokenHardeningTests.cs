using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Passkeys.Server.Tests.Integration;
using Passkeys.Server.Tokens;

namespace Passkeys.Server.Tests.Hardening;

/// <summary>The issuer comes from configuration, never the Host header; step-up and access tokens cannot stand in for each other.</summary>
public sealed class TokenHardeningTests
{
    private static string IssuerOf(JsonNode finish) => new JsonWebToken((string)(finish["token"] ?? finish["accessToken"])!).Issuer;

    [Fact]
    public async Task A_forged_host_header_does_not_change_the_issuer()
    {
        await using var server = await TestServer.StartAsync();
        server.Http.DefaultRequestHeaders.Host = "evil.example";
        var signUp = await server.SignUpAsync(TestServer.NewClient(), "alice");
        var expected = $"http://127.0.0.1:{server.BaseAddress.Port}/v1/tenants/default";
        Assert.Equal(expected, IssuerOf(signUp));

        // And the token is still accepted with the forged Host (the check uses the same configured issuer).
        using var list = await server.SendAsync(HttpMethod.Get, "/v1/tenants/default/me/credentials", bearer: (string)signUp["token"]!);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task The_issuer_is_the_public_base_url_when_configured()
    {
        await using var server = await TestServer.StartAsync(null, "--Passkeys:PublicBaseUrl=https://id.example.com/");
        server.Http.DefaultRequestHeaders.Host = "evil.example";
        var signUp = await server.SignUpAsync(TestServer.NewClient(), "alice");
        Assert.Equal("https://id.example.com/v1/tenants/default", IssuerOf(signUp));
    }

    [Fact]
    public async Task Tokens_issuer_still_wins_over_the_public_base_url()
    {
        await using var server = await TestServer.StartAsync(null, "--Passkeys:PublicBaseUrl=https://id.example.com", "--Passkeys:Tokens:Issuer=https://tokens.example.com");
        var signUp = await server.SignUpAsync(TestServer.NewClient(), "alice");
        Assert.Equal("https://tokens.example.com/v1/tenants/default", IssuerOf(signUp));
    }

    [Theory]
    [InlineData("id.example.com")]
    [InlineData("ftp://id.example.com")]
    [InlineData("https://id.example.com/?x=1")]
    public async Task A_public_base_url_that_is_not_an_http_url_stops_the_start(string value)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await (await TestServer.StartAsync(null, "--Passkeys:PublicBaseUrl=" + value)).DisposeAsync());
        Assert.Contains("Passkeys:PublicBaseUrl", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080")]
    [InlineData("http://0.0.0.0:5080", "http://localhost:5080")]
    [InlineData("http://[::]:5080", "http://localhost:5080")]
    [InlineData("http://+:80", "http://localhost:80")]
    [InlineData("https://*:443", "https://localhost:443")]
    [InlineData("http://[::1]:5080/", "http://[::1]:5080")]
    [InlineData("http://localhost:5080", "http://localhost:5080")]
    public void A_listen_address_becomes_a_base_url_with_wildcards_as_localhost(string address, string expected) =>
        Assert.Equal(expected, PublicBaseUrl.FromListenAddress(address));

    private static async Task<(JsonNode SignUp, string StepUpToken, TestServer Server, Passkeys.Authenticator.Client.SoftwareClient Client)> StepUpAsync(TestServer server)
    {
        var client = TestServer.NewClient();
        var signUp = await server.SignUpAsync(client, "erin");
        var begin = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/step-up/begin", new { transaction = "Pay 120 EUR to X" }, bearer: (string)signUp["token"]!);
        var assertion = await client.GetAsync(begin["options"]!.ToJsonString());
        var finish = await server.OkJsonAsync(HttpMethod.Post, "/v1/tenants/default/step-up/finish", TestServer.FinishBody(begin, assertion));
        return (signUp, (string)finish["token"]!, server, client);
    }

    [Fact]
    public async Task Tokens_say_what_they_are_for()
    {
        await using var server = await TestServer.StartAsync();
        var (signUp, stepUp, _, client) = await StepUpAsync(server);
        Assert.Equal(TokenUse.Access, new JsonWebToken((string)signUp["token"]!).GetPayloadValue<string>("token_use"));
        var signIn = await server.SignInAsync(client);
        Assert.Equal(TokenUse.Access, new JsonWebToken((string)(signIn["token"] ?? signIn["accessToken"])!).GetPayloadValue<string>("token_use"));
        var step = new JsonWebToken(stepUp);
        Assert.Equal(TokenUse.StepUp, step.GetPayloadValue<string>("token_use"));
        Assert.False(string.IsNullOrEmpty(step.GetPayloadValue<string>("txn")));
    }

    [Fact]
    public async Task A_step_up_token_is_not_an_access_token()
    {
        await using var server = await TestServer.StartAsync();
        var (signUp, stepUp, _, _) = await StepUpAsync(server);

        using (var list = await server.SendAsync(HttpMethod.Get, "/v1/tenants/default/me/credentials", bearer: stepUp))
        {
            await TestServer.ProblemAsync(list, 403, 1050);
        }
        using (var sessions = await server.SendAsync(HttpMethod.Get, "/v1/tenants/default/me/sessions", bearer: stepUp))
        {
            await TestServer.ProblemAsync(sessions, 403, 1050);
        }
        using (var codes = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/me/recovery-codes", bearer: stepUp))
        {
            await TestServer.ProblemAsync(codes, 403, 1050);
        }
        using (var register = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/registration/begin", new { }, bearer: stepUp))
        {
            await TestServer.ProblemAsync(register, 403, 1050);
        }
        using (var again = await server.SendAsync(HttpMethod.Post, "/v1/tenants/default/step-up/begin", new { transaction = "Pay 9999 EUR to Y" }, bearer: stepUp))
        {
            await TestServer.ProblemAsync(again, 403, 1050);
        }
        // The access token of the same user still works everywhere.
        using var ok = await server.SendAsync(HttpMethod.Get, "/v1/tenants/default/me/credentials", bearer: (string)signUp["token"]!);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
