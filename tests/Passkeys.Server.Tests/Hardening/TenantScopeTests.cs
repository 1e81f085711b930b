using Passkeys.Server.Tenants.PublicSuffix;
using Passkeys.Server.Tests.Integration;

namespace Passkeys.Server.Tests.Hardening;

/// <summary>A tenant's rpId must not be a public suffix and its web origins must be on the rpId.</summary>
public sealed class TenantScopeTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> CreateAsync(string rpId, params string[] origins) =>
        _server.SendAsync(HttpMethod.Post, "/v1/admin/tenants", new
        {
            id = "t" + Guid.NewGuid().ToString("N")[..8], rpId, rpName = "T", origins, relatedOrigins = new[] { "https://elsewhere.example" },
            userVerification = "preferred", attestation = "none",
        }, bearer: TestServer.AdminKey);

    [Theory]
    [InlineData("com", "https://com")]
    [InlineData("co.uk", "https://shop.co.uk")]
    [InlineData("github.io", "https://alice.github.io")]   // PRIVATE section
    [InlineData("foo.ck", "https://shop.foo.ck")]           // wildcard *.ck
    [InlineData("intranet", "https://intranet")]            // a lone label: the implicit rule *
    public async Task An_rpId_that_is_a_public_suffix_is_refused(string rpId, string origin)
    {
        using var response = await CreateAsync(rpId, origin);
        var problem = await TestServer.ProblemAsync(response, 400, 1051);
        Assert.Contains(rpId, (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("shop.example", "https://evil.example")]
    [InlineData("shop.example", "https://notshop.example")]           // a suffix of the text, not of the labels
    [InlineData("shop.example", "https://shop.example.evil.com")]
    [InlineData("app.shop.example", "https://shop.example")]         // a parent of the rpId is not under it
    [InlineData("localhost", "http://127.0.0.1:5080")]
    [InlineData("127.0.0.1", "http://localhost:5080")]
    public async Task A_web_origin_outside_the_rpId_is_refused(string rpId, string origin)
    {
        using var response = await CreateAsync(rpId, origin);
        var problem = await TestServer.ProblemAsync(response, 400, 1052);
        Assert.Contains(origin, (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("shop.example", "https://shop.example")]
    [InlineData("shop.example", "https://app.shop.example:8443")]
    [InlineData("alice.github.io", "https://alice.github.io")]
    [InlineData("www.ck", "https://www.ck")]                     // the exception !www.ck
    [InlineData("localhost", "http://localhost:5080")]
    [InlineData("127.0.0.1", "http://127.0.0.1:5080")]
    [InlineData("bücher.example", "https://xn--bcher-kva.example")]
    public async Task An_rpId_and_origins_on_it_are_accepted(string rpId, string origin)
    {
        using var response = await CreateAsync(rpId, origin);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Malformed_settings_keep_their_code()
    {
        using var response = await CreateAsync("com", "com/path");
        await TestServer.ProblemAsync(response, 400, 1001);
    }

    [Fact]
    public async Task An_update_is_checked_the_same_way()
    {
        using (var created = await CreateAsync("shop.example", "https://shop.example"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }
        using var update = await _server.SendAsync(HttpMethod.Put, "/v1/admin/tenants/default", new
        {
            rpId = "localhost", rpName = "Demo", origins = new[] { "https://evil.example" }, userVerification = "preferred", attestation = "none",
        }, bearer: TestServer.AdminKey);
        await TestServer.ProblemAsync(update, 400, 1052);
    }

    [Fact]
    public async Task A_default_tenant_from_configuration_outside_its_rpId_stops_the_start()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(async () =>
            await (await TestServer.StartAsync(null, "--Passkeys:DefaultTenant:RpId=shop.example", "--Passkeys:DefaultTenant:Origins:0=https://evil.example")).DisposeAsync());
        Assert.Contains("https://evil.example", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("com", true)]
    [InlineData("example.com", false)]
    [InlineData("co.uk", true)]
    [InlineData("bbc.co.uk", false)]
    [InlineData("anything.ck", true)]     // *.ck
    [InlineData("www.ck", false)]         // !www.ck
    [InlineData("a.www.ck", false)]
    [InlineData("kawasaki.jp", false)]   // *.kawasaki.jp needs a label in place of *: jp is the suffix here
    [InlineData("x.kawasaki.jp", true)]   // *.kawasaki.jp
    [InlineData("city.kawasaki.jp", false)] // !city.kawasaki.jp
    [InlineData("github.io", true)]
    [InlineData("alice.github.io", false)]
    [InlineData("公司.cn", true)]
    [InlineData("xn--55qx5d.cn", true)]
    [InlineData("example", true)]         // not listed: the implicit rule *
    [InlineData("shop.example", false)]
    [InlineData("COM", true)]
    public void The_public_suffix_list_follows_its_rules(string domain, bool isSuffix) =>
        Assert.Equal(isSuffix, PublicSuffixList.Default.IsPublicSuffix(domain));

    [Fact]
    public void The_embedded_list_is_complete() => Assert.True(PublicSuffixList.Default.Count > 9000);

    [Fact]
    public void A_list_is_read_by_its_format()
    {
        var list = new PublicSuffixList(new StringReader("// comment\n\nfoo\n*.bar\n!keep.bar\nbaz   trailing words\n"));
        Assert.True(list.IsPublicSuffix("foo"));
        Assert.False(list.IsPublicSuffix("a.foo"));
        Assert.True(list.IsPublicSuffix("x.bar"));
        Assert.False(list.IsPublicSuffix("keep.bar"));
        Assert.True(list.IsPublicSuffix("baz"));
        Assert.Equal(4, list.Count);
    }
}
