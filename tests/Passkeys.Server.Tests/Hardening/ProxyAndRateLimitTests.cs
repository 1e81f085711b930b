using System.Net;
using System.Net.Sockets;
using Passkeys.Server.Security;
using Passkeys.Server.Tests.Integration;

namespace Passkeys.Server.Tests.Hardening;

/// <summary>
/// Rate-limit partitions over real Kestrel: the TCP peer unless a known proxy is configured, then
/// the forwarded client; IPv6 by /64; every unauthenticated call limited.
/// </summary>
public sealed class ProxyAndRateLimitTests
{
    private const string Begin = "/v1/tenants/default/authentication/begin";

    private static string[] Limited(params string[] extra) =>
        ["--Passkeys:RateLimits:Enabled=true", "--Passkeys:RateLimits:CeremonyPerAddress=2", .. extra];

    private static async Task<HttpStatusCode> BeginAsync(TestServer server, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Begin) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        using var response = await server.Http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Without_a_configured_proxy_a_spoofed_forwarded_for_does_not_change_the_partition()
    {
        await using var server = await TestServer.StartAsync(null, Limited());
        Assert.Equal(HttpStatusCode.OK, await BeginAsync(server, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await BeginAsync(server, "198.51.100.2"));
        // A third "client" is still the same TCP peer: its budget is spent.
        Assert.Equal(HttpStatusCode.TooManyRequests, await BeginAsync(server, "198.51.100.3"));
    }

    [Fact]
    public async Task A_proxy_that_is_not_the_peer_is_not_believed()
    {
        await using var server = await TestServer.StartAsync(null, Limited("--Passkeys:Proxy:KnownProxies:0=10.9.9.9", "--Passkeys:Proxy:KnownNetworks:0=192.168.0.0/16"));
        Assert.Equal(HttpStatusCode.OK, await BeginAsync(server, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await BeginAsync(server, "198.51.100.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await BeginAsync(server, "198.51.100.3"));
    }

    [Fact]
    public async Task Behind_a_known_proxy_each_forwarded_client_has_its_own_budget()
    {
        await using var server = await TestServer.StartAsync(null, Limited("--Passkeys:Proxy:KnownProxies:0=127.0.0.1"));
        Assert.Equal(HttpStatusCode.OK, await BeginAsync(server, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await BeginAsync(server, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await BeginAsync(server, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await BeginAsync(server, "198.51.100.2"));
        // Only the last hop is unwound (ForwardLimit 1): a client cannot prepend addresses to escape.
        Assert.Equal(HttpStatusCode.TooManyRequests, await BeginAsync(server, "203.0.113.9, 198.51.100.1"));
    }

    [Fact]
    public async Task A_known_network_is_believed_too()
    {
        await using var server = await TestServer.StartAsync(null, Limited("--Passkeys:Proxy:KnownNetworks:0=127.0.0.0/8"));
        Assert.Equal(HttpStatusCode.OK, await BeginAsync(server, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await BeginAsync(server, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await BeginAsync(server, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await BeginAsync(server, "198.51.100.2"));
    }

    [Fact]
    public async Task The_audit_log_records_the_forwarded_client()
    {
        await using var server = await TestServer.StartAsync(null, "--Passkeys:Proxy:KnownProxies:0=127.0.0.1");
        Assert.Equal(HttpStatusCode.OK, await BeginAsync(server, "198.51.100.77"));
        var audit = await server.OkJsonAsync(HttpMethod.Get, "/v1/admin/tenants/default/audit", bearer: TestServer.AdminKey);
        Assert.Contains("198.51.100.77", audit.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Passkeys:Proxy:KnownProxies:0=not-an-ip", "KnownProxies")]
    [InlineData("--Passkeys:Proxy:KnownNetworks:0=10.0.0.0/99", "KnownNetworks")]
    [InlineData("--Passkeys:Proxy:ForwardedHeaders=All", "ForwardedHeaders")]
    [InlineData("--Passkeys:Proxy:ForwardedHeaders=XForwardedHost", "ForwardedHeaders")]
    [InlineData("--Passkeys:Proxy:ForwardLimit=0", "ForwardLimit")]
    public async Task Proxy_settings_that_do_not_parse_stop_the_start(string setting, string named)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await (await TestServer.StartAsync(null, "--Passkeys:Proxy:KnownProxies:1=10.0.0.1", setting)).DisposeAsync());
        Assert.Contains("Passkeys:Proxy:" + named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Behind_a_known_ipv6_proxy_clients_are_counted_by_their_64_prefix()
    {
        if (!Socket.OSSupportsIPv6 || !CanBindIPv6Loopback())
        {
            return; // No IPv6 loopback on this machine: the key function is covered by the unit tests below.
        }
        await using var server = await TestServer.StartAsync(null, Limited("--urls", "http://[::1]:0", "--Passkeys:Proxy:KnownProxies:0=::1"));
        Assert.Equal(IPAddress.IPv6Loopback.ToString(), server.BaseAddress.Host.Trim('[', ']'));
        Assert.Equal(HttpStatusCode.OK, await BeginAsync(server, "2001:db8:1:2::1"));
        Assert.Equal(HttpStatusCode.OK, await BeginAsync(server, "2001:db8:1:2:ffff:ffff:ffff:ffff"));
        // Another address of the same /64: the same subscriber, the same spent budget.
        Assert.Equal(HttpStatusCode.TooManyRequests, await BeginAsync(server, "2001:db8:1:2::99"));
        Assert.Equal(HttpStatusCode.OK, await BeginAsync(server, "2001:db8:1:3::1"));
    }

    private static bool CanBindIPv6Loopback()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("fe80::1%2", "fe80::/64")]
    [InlineData("::1", "::/64")]
    public void The_partition_key_is_the_ipv4_address_or_the_ipv6_64_prefix(string address, string key) =>
        Assert.Equal(key, ClientPartition.Of(IPAddress.Parse(address)));

    [Fact]
    public void No_address_is_one_partition() => Assert.Equal("unknown", ClientPartition.Of(null));

    public static TheoryData<string, string> UnauthenticatedCalls => new()
    {
        { "POST", "/v1/tenants/default/registration/begin" },
        { "POST", "/v1/tenants/default/registration/finish" },
        { "POST", "/v1/tenants/default/authentication/begin" },
        { "POST", "/v1/tenants/default/authentication/finish" },
        { "POST", "/v1/tenants/default/step-up/begin" },
        { "POST", "/v1/tenants/default/step-up/finish" },
        { "POST", "/v1/tenants/default/recovery/redeem" },
        { "POST", "/v1/tenants/default/sessions/refresh" },
        { "POST", "/v1/tenants/default/sessions/revoke" },
        { "GET", "/v1/tenants/default/jwks.json" },
        { "GET", "/.well-known/webauthn" },
    };

    [Theory]
    [MemberData(nameof(UnauthenticatedCalls))]
    public async Task Every_unauthenticated_call_is_rate_limited(string method, string path)
    {
        await using var server = await TestServer.StartAsync(null, "--Passkeys:RateLimits:Enabled=true",
            "--Passkeys:RateLimits:CeremonyPerAddress=1", "--Passkeys:RateLimits:RecoveryPerAddress=1",
            "--Passkeys:RateLimits:SessionPerAddress=1", "--Passkeys:RateLimits:ApiPerAddress=1");
        object? body = method == "POST" ? new { } : null;
        using (var first = await server.SendAsync(new HttpMethod(method), path, body))
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, first.StatusCode);
        }
        using var second = await server.SendAsync(new HttpMethod(method), path, body);
        await TestServer.ProblemAsync(second, 429, 1014);
    }
}
