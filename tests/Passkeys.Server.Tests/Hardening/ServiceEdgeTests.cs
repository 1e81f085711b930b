using System.Net;
using Passkeys.Server.Tests.Integration;

namespace Passkeys.Server.Tests.Hardening;

/// <summary>Vary: Origin on tenant answers; /metrics public by default, guarded by a bearer token when configured.</summary>
public sealed class ServiceEdgeTests
{
    private const string MetricsToken = "metrics-token-0123456789abcdef0123456789";

    private static bool VariesByOrigin(HttpResponseMessage response) =>
        response.Headers.Vary.Any(v => string.Equals(v, "Origin", StringComparison.OrdinalIgnoreCase));

    [Theory]
    [InlineData(TestServer.Origin)]       // allowed: gets Access-Control-Allow-Origin
    [InlineData("https://evil.example")]  // refused: gets none
    [InlineData(null)]                    // no Origin: not a CORS request at all
    public async Task Tenant_answers_vary_by_origin(string? origin)
    {
        await using var server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants/default/authentication/begin")
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(VariesByOrigin(response), string.Join(", ", response.Headers.Vary));
        Assert.Equal(origin == TestServer.Origin, response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflights_and_errors_vary_by_origin_once()
    {
        await using var server = await TestServer.StartAsync();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/tenants/default/authentication/begin");
        preflight.Headers.Add("Origin", TestServer.Origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using (var response = await server.Http.SendAsync(preflight))
        {
            Assert.Equal(1, response.Headers.Vary.Count(v => string.Equals(v, "Origin", StringComparison.OrdinalIgnoreCase)));
        }
        using var error = await server.SendAsync(HttpMethod.Post, "/v1/tenants/nope/authentication/begin", new { });
        await TestServer.ProblemAsync(error, 404, 1008);
        Assert.True(VariesByOrigin(error));
    }

    [Fact]
    public async Task Metrics_are_public_by_default()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_require_the_configured_bearer_token()
    {
        await using var server = await TestServer.StartAsync(null, "--Passkeys:Metrics:BearerToken=" + MetricsToken);
        using (var none = await server.SendAsync(HttpMethod.Get, "/metrics"))
        {
            await TestServer.ProblemAsync(none, 401, 1006);
            Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        }
        using (var wrong = await server.SendAsync(HttpMethod.Get, "/metrics", bearer: MetricsToken + "x"))
        {
            await TestServer.ProblemAsync(wrong, 401, 1006);
        }
        using (var admin = await server.SendAsync(HttpMethod.Get, "/metrics", bearer: TestServer.AdminKey))
        {
            await TestServer.ProblemAsync(admin, 401, 1006);
        }
        using var ok = await server.SendAsync(HttpMethod.Get, "/metrics", bearer: MetricsToken);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("text/plain", ok.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_short_metrics_token_stops_the_start()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await (await TestServer.StartAsync(null, "--Passkeys:Metrics:BearerToken=short")).DisposeAsync());
        Assert.Contains("Passkeys:Metrics:BearerToken", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// These answers come from Kestrel before a request reaches the application, so they cannot be
    /// problem details; docs/api.md lists them. This pins the list: if one starts to reach the
    /// application (and so gets problem details), the docs must move it.
    /// </summary>
    [Theory]
    [InlineData("GARBAGE\r\n\r\n", 400)]                                                     // malformed request line
    [InlineData("GET /health HTTP/1.1\r\n\r\n", 400)]                                        // no Host
    [InlineData("GET /health HTTP/1.1\r\nHost: a b\r\n\r\n", 400)]                         // invalid Host
    [InlineData("POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400)]
    [InlineData("GET /health HTTP/3.0\r\nHost: x\r\n\r\n", 505)]
    [InlineData("GET /URI HTTP/1.1\r\nHost: x\r\n\r\n", 414)]
    [InlineData("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: BIG\r\n\r\n", 431)]
    public async Task Errors_from_the_web_server_itself_have_empty_bodies(string raw, int status)
    {
        await using var server = await TestServer.StartAsync();
        var request = raw.Replace("/URI", "/" + new string('a', 10_000), StringComparison.Ordinal)
            .Replace("BIG", new string('a', 40_000), StringComparison.Ordinal);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        var answer = await reader.ReadToEndAsync();
        Assert.StartsWith($"HTTP/1.1 {status} ", answer, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 0", answer, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", answer, StringComparison.Ordinal);
    }
}
