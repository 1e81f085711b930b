using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// docs/api.md and the served OpenAPI document must describe exactly the routes the server maps:
/// every mapped route (method + path) appears in both, so neither can drift from the code.
/// </summary>
public sealed class ApiDocumentationTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private List<(string Method, string Path)> MappedRoutes() =>
        [.. _server.Services<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/v1/", StringComparison.Ordinal) || raw.StartsWith("v1/", StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct()];

    private static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Passkeys.slnx")))
        {
            dir = dir.Parent;
        }
        return File.ReadAllText(Path.Combine(dir!.FullName, relative));
    }

    // Route constraints ({tenant:regex(...)}) are not part of the documented path.
    private static string Plain(string path) => Regex.Replace(path, @"\{([A-Za-z]+)(:[^}]*)?\}", "{$1}");

    [Fact]
    public void Every_mapped_route_is_documented_in_api_md()
    {
        string doc = Regex.Replace(RepoFile("docs/api.md"), @"[ \t]+", " ");
        var routes = MappedRoutes();
        Assert.True(routes.Count > 20, $"only {routes.Count} /v1 routes found");
        var missing = routes.Where(r => !doc.Contains($"{r.Method} {Plain(r.Path)}", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "routes missing from docs/api.md: " + string.Join(", ", missing.Select(r => $"{r.Method} {Plain(r.Path)}")));
    }

    [Fact]
    public async Task Every_mapped_route_is_in_the_openapi_document()
    {
        var openApi = JsonNode.Parse(await _server.Http.GetStringAsync("/openapi/v1.json"))!;
        var paths = openApi["paths"]!.AsObject();
        var missing = MappedRoutes()
            .Where(r => paths[Plain(r.Path)]?[r.Method.ToLowerInvariant()] is null)
            .ToList();
        Assert.True(missing.Count == 0, "routes missing from /openapi/v1.json: " + string.Join(", ", missing.Select(r => $"{r.Method} {Plain(r.Path)}")));
    }

    [Fact]
    public async Task A_tenants_algorithms_are_described_as_names_or_numbers()
    {
        var schemas = JsonNode.Parse(await _server.Http.GetStringAsync("/openapi/v1.json"))!["components"]!["schemas"]!;
        var input = schemas["TenantInput"]!["properties"]!["algorithms"]!;
        Assert.Equal(["integer", "string"], input["items"]!["type"]!.AsArray().Select(t => (string)t!).Order());
        Assert.Contains("ML-DSA-44", (string)input["description"]!, StringComparison.Ordinal);
        Assert.Equal("string", (string)schemas["TenantView"]!["properties"]!["algorithms"]!["items"]!["type"]!);
    }

    [Fact]
    public async Task Registration_mediation_is_described_as_its_three_values()
    {
        var schemas = JsonNode.Parse(await _server.Http.GetStringAsync("/openapi/v1.json"))!["components"]!["schemas"]!;
        var mediation = schemas["RegistrationBeginRequest"]!["properties"]!["mediation"]!;
        Assert.Equal(["conditional", "optional", "required"], mediation["enum"]!.AsArray().Select(v => (string)v!));
        Assert.Contains("1120", (string)mediation["description"]!, StringComparison.Ordinal);
    }
}
