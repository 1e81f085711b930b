using System.Net;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// The SDK's static files (and only they) may be loaded from any origin: Access-Control-Allow-Origin
/// "*" without credentials, on responses and on preflights. The pages, /js, the OpenAPI document and
/// the tenant and admin APIs gain no CORS from this.
/// </summary>
public sealed class SdkCorsTests : IAsyncLifetime
{
    private const string Foreign = "http://127.0.0.1:1";
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Action<HttpRequestMessage>? more = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Origin", Foreign);
        more?.Invoke(request);
        return await _server.Http.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : null;

    [Theory]
    [InlineData("/sdk/passkeys.js")]
    [InlineData("/sdk/passkeys.d.ts")]
    public async Task SDK_files_allow_any_origin_without_credentials(string path)
    {
        using var get = await SendAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("*", Header(get, "Access-Control-Allow-Origin"));
        Assert.Null(Header(get, "Access-Control-Allow-Credentials"));

        // A revalidation (304) keeps the header, or the browser would refuse its cached copy.
        var etag = get.Headers.ETag!;
        using var revalidated = await SendAsync(HttpMethod.Get, path, r => r.Headers.IfNoneMatch.Add(etag));
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Equal("*", Header(revalidated, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_preflight_for_an_SDK_file_allows_reading_only()
    {
        using var preflight = await SendAsync(HttpMethod.Options, "/sdk/passkeys.js", r =>
        {
            r.Headers.Add("Access-Control-Request-Method", "GET");
            r.Headers.Add("Access-Control-Request-Headers", "x-requested-with");
        });
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("*", Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Equal("GET, HEAD", Header(preflight, "Access-Control-Allow-Methods"));
        Assert.Equal("*", Header(preflight, "Access-Control-Allow-Headers"));
        Assert.Null(Header(preflight, "Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/account.html")]
    [InlineData("/app.css")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/sdkx/passkeys.js")]
    [InlineData("/js/common.js")]
    [InlineData("/v1/admin/tenants")]
    public async Task Nothing_else_gains_CORS(string path)
    {
        using var get = await SendAsync(HttpMethod.Get, path);
        Assert.Null(Header(get, "Access-Control-Allow-Origin"));
        using var preflight = await SendAsync(HttpMethod.Options, path, r => r.Headers.Add("Access-Control-Request-Method", "GET"));
        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task The_tenant_API_keeps_its_own_origin_list()
    {
        using var preflight = await SendAsync(HttpMethod.Options, "/v1/tenants/default/authentication/begin", r => r.Headers.Add("Access-Control-Request-Method", "POST"));
        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
        using var begin = await SendAsync(HttpMethod.Post, "/v1/tenants/default/authentication/begin",
            r => r.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Null(Header(begin, "Access-Control-Allow-Origin"));
    }
}
