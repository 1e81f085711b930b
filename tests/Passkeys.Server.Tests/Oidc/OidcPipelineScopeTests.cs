using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Passkeys.Server.Tests.Integration;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Passkeys.Server.Tests.Oidc;

/// <summary>
/// OpenIddict's request pipeline runs only for requests that may be OpenID Connect requests (its
/// paths under a tenant, known or not), never for the ceremony API, pages or other paths: it cost
/// ~4% of a sign-in's CPU while passing those through (docs/benchmarks.md, "The request path around a sign-in (session 6)").
/// </summary>
public sealed class OidcPipelineScopeTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private int _processed;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartWithAsync(b => b.Services.AddOpenIddict().AddServer(o =>
            o.AddEventHandler<ProcessRequestContext>(h => h.UseInlineHandler(_ =>
            {
                Interlocked.Increment(ref _processed);
                return default;
            }).SetOrder(int.MinValue))));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<int> ProcessedByAsync(HttpMethod method, string path, object? body = null)
    {
        var before = Volatile.Read(ref _processed);
        using var response = await _server.SendAsync(method, path, body);
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        return Volatile.Read(ref _processed) - before;
    }

    [Theory]
    [InlineData("/v1/tenants/default/.well-known/openid-configuration")]
    [InlineData("/v1/tenants/default/authorize")]
    [InlineData("/v1/tenants/default/userinfo/")]
    [InlineData("/v1/tenants/no-such-tenant/end-session")]
    public async Task Provider_paths_reach_OpenIddict(string path) =>
        Assert.Equal(1, await ProcessedByAsync(HttpMethod.Get, path));

    [Theory]
    [InlineData("POST", "/v1/tenants/default/authentication/begin")]
    [InlineData("POST", "/v1/tenants/default/registration/begin")]
    [InlineData("GET", "/v1/tenants/default/jwks.json")]
    [InlineData("GET", "/v1/tenants/default/token/extra")]
    [InlineData("GET", "/v1/tenants/authorize")]
    [InlineData("GET", "/authorize")]
    [InlineData("GET", "/health")]
    [InlineData("GET", "/")]
    [InlineData("GET", "/no-such-page")]
    public async Task Other_requests_skip_OpenIddict(string method, string path) =>
        Assert.Equal(0, await ProcessedByAsync(new HttpMethod(method), path, method == "POST" ? new { } : null));

    [Fact]
    public async Task A_sign_in_never_reaches_OpenIddict()
    {
        var client = TestServer.NewClient();
        await _server.SignUpAsync(client, "alice");
        var before = Volatile.Read(ref _processed);
        await _server.SignInAsync(client);
        Assert.Equal(before, Volatile.Read(ref _processed));
    }
}
