using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Passkeys.TestSupport;

namespace Passkeys.Server.Tests.Integration;

/// <summary>
/// A server that cannot start, run as the operator runs it (the build's Passkeys.Server.dll in its
/// own process): one line on standard error that says why and what to do, exit code 1, never an
/// unhandled exception's trace or an abort.
/// </summary>
public sealed class StartupFailureTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("passkeys-startup-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_setting_with_a_wrong_value_ends_the_start_with_one_line_naming_it()
    {
        var run = await RunAsync("--urls", "http://127.0.0.1:0", "--Passkeys:Store=bogus");
        AssertRefused(run, "Passkeys.Server did not start: Passkeys:Store must be 'sqlite' or 'postgres', not 'bogus'.");
    }

    [Fact]
    public async Task An_address_another_process_listens_on_ends_the_start_naming_it_and_what_to_do()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;

        var run = await RunAsync("--urls", $"http://127.0.0.1:{port}");
        AssertRefused(run, $"Passkeys.Server did not start: Failed to bind to address http://127.0.0.1:{port}: address already in use: " +
            "another process is listening there. Stop it, or give this server another address (--urls, ASPNETCORE_URLS or Kestrel:Endpoints).");
    }

    [Fact]
    public async Task An_address_this_machine_does_not_have_ends_the_start_naming_it()
    {
        // 192.0.2.0/24 is reserved for documentation (RFC 5737): no machine has it.
        var run = await RunAsync("--urls", "http://192.0.2.1:8080");
        AssertRefused(run, "Passkeys.Server did not start: cannot listen on http://192.0.2.1:8080: this machine has no such address. " +
            "Listen on one of its own addresses, or on 0.0.0.0 / [::] for all of them (--urls, ASPNETCORE_URLS or Kestrel:Endpoints).");
    }

    [Fact]
    public void A_port_it_may_not_open_is_explained_with_the_addresses_it_was_given()
    {
        // Not reproducible as root (CI is root), so the description is checked on the exception Kestrel throws.
        var refused = new SocketException((int)SocketError.AccessDenied);
        Assert.True(StartupFailure.IsExpected(refused));
        Assert.Equal("Passkeys.Server did not start: cannot listen on http://0.0.0.0:443, http://[::]:443: permission denied. Ports below 1024 need root " +
            "or the CAP_NET_BIND_SERVICE capability; or listen on a higher port behind a proxy (docs/operations.md, Proxies).",
            StartupFailure.Describe(refused, ["http://0.0.0.0:443", "http://[::]:443"]));
    }

    [Fact]
    public void Several_failures_are_all_told_and_a_defect_is_not_dressed_up_as_a_refusal()
    {
        var both = new AggregateException(new OptionsValidationException("Passkeys", typeof(object), ["first.", "second."]), new InvalidOperationException("third."));
        Assert.True(StartupFailure.IsExpected(both));
        Assert.Equal("Passkeys.Server did not start: first. Also: second. Also: third.", StartupFailure.Describe(both, []));

        Assert.False(StartupFailure.IsExpected(new NullReferenceException()));
        Assert.False(StartupFailure.IsExpected(new AggregateException(new InvalidOperationException("x"), new NullReferenceException())));
        Assert.False(StartupFailure.IsExpected(new AggregateException()));
    }

    [Fact]
    public void The_addresses_are_the_endpoints_when_configured_else_the_urls()
    {
        var urls = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://a:1; http://b:2" }).Build();
        Assert.Equal(["http://a:1", "http://b:2"], StartupFailure.ListeningAddresses(urls));

        var endpoints = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://a:1", ["Kestrel:Endpoints:Web:Url"] = "https://c:3", ["Kestrel:Endpoints:Other:Url"] = "http://d:4",
        }).Build();
        Assert.Equal(["http://d:4", "https://c:3"], StartupFailure.ListeningAddresses(endpoints).Order());
    }

    private static void AssertRefused(DotnetProcess.Ended run, string line)
    {
        Assert.Equal(StartupFailure.ExitCode, run.Exit);
        // The reason is the last line on stderr (the host's own log of the failure may come before it).
        Assert.EndsWith("\n" + line + "\n", "\n" + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.Output + run.Error, StringComparison.Ordinal);
    }

    private Task<DotnetProcess.Ended> RunAsync(params string[] args) => DotnetProcess.RunToExitAsync("Passkeys.Server.dll",
        ["--Passkeys:DataDirectory=" + Path.Combine(_folder, "data"), "--Passkeys:AdminKey=" + TestServer.AdminKey, .. args], "Passkeys__", "ASPNETCORE_URLS");
}
