using Passkeys.Cli.Fuzzing;
using Passkeys.Cli.Tests.Infrastructure;

namespace Passkeys.Cli.Tests.Fuzz;

/// <summary>
/// A fixed-seed sample of `passkeys fuzz --server`: hostile strings and mutations in the body of
/// every /v1 endpoint of a real server (Kestrel, SQLite), and in the clientDataJSON of real
/// ceremonies. No body may get a 5xx.
/// </summary>
public sealed class ServerBodyFuzzTests
{
    [Fact]
    public async Task No_body_sent_to_any_v1_endpoint_gets_a_5xx()
    {
        await using var server = await RealServer.StartAsync();
        var fuzzer = new ServerBodyFuzzer(server.Http, server.AdminKey);
        await fuzzer.SetUpAsync(20261206);
        var report = await fuzzer.RunAsync(20261206, 40, TimeSpan.FromSeconds(60));
        Assert.True(report.Findings.Count == 0, string.Join("\n\n", report.Findings));
        // Every endpoint was reached (a time-out would leave some short).
        Assert.Equal(fuzzer.EndpointNames.Order(), report.RequestsByEndpoint.Keys.Order());
        Assert.All(report.RequestsByEndpoint.Values, count => Assert.Equal(40, count));
    }

    [Fact]
    public async Task Fuzz_server_command_prints_requests_and_exits_0_when_nothing_fails()
    {
        await using var server = await RealServer.StartAsync();
        var output = new StringWriter();
        int exit = FuzzCommand.RunServer(server.Url, server.AdminKey, TimeSpan.FromSeconds(30), 3, 2, output);
        Assert.True(exit == 0, output.ToString());
        Assert.Matches(@"\d+ requests, 0 5xx finding\(s\)", output.ToString());
    }
}
