using System.Text.Json;
using System.Text.Json.Nodes;
using Passkeys.Cli.Bench;
using Passkeys.Cli.Tests.Infrastructure;
using Passkeys.TestSupport;

namespace Passkeys.Cli.Tests.Bench;

/// <summary>The default-tenant server the `bench` tests share (tests in one class run one after another).</summary>
public sealed class BenchServerFixture : IAsyncLifetime
{
    public RealServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RealServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// `passkeys bench` against real servers: what the report says is checked against what the server
/// recorded (its users and its audit funnel). No timing is asserted: speed belongs to the benchmarks.
/// </summary>
public sealed class BenchCommandTests(BenchServerFixture fixture) : IClassFixture<BenchServerFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("passkeys-bench-report-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }

    private sealed record Run(int Exit, string Output, string Error, JsonNode? Json);

    private Run Bench(Uri url, string extra, CancellationToken cancellation = default, TextWriter? error = null)
    {
        string json = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".json");
        var output = new StringWriter();
        var errors = error ?? new StringWriter();
        string[] args = [.. $"--url {url} --tenant default --origin {RealServer.Origin} --warmup 0 --json {json}".Split(' '), .. extra.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        int exit = BenchCommand.Run(args, output, errors, cancellation);
        return new Run(exit, output.ToString(), errors.ToString() ?? "", File.Exists(json) ? JsonNode.Parse(File.ReadAllText(json)) : null);
    }

    /// <summary>Every user of the default tenant whose name starts with <paramref name="prefix"/> (all pages).</summary>
    private static async Task<List<JsonNode>> UsersAsync(RealServer server, string prefix)
    {
        var users = new List<JsonNode>();
        string? after = null;
        do
        {
            var page = await server.AdminAsync(HttpMethod.Get, "/v1/admin/tenants/default/users?limit=100" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)));
            foreach (var user in page["users"]!.AsArray())
            {
                if (((string?)user!["name"])?.StartsWith(prefix, StringComparison.Ordinal) == true)
                {
                    users.Add(user);
                }
            }
            after = (string?)page["next"];
        }
        while (after is not null);
        return users;
    }

    private static long Succeeded(JsonNode json, string operation) =>
        (long)json["operations"]!.AsArray().Single(o => (string?)o!["operation"] == operation)!["succeeded"]!;

    [Fact]
    public async Task A_fixed_run_registers_its_users_and_every_ceremony_is_verified_by_the_server()
    {
        var server = fixture.Server;
        var since = DateTimeOffset.UtcNow;   // the previous test of this class may have ended a millisecond ago
        var run = Bench(server.Url, "--users 4 --concurrency 3 --iterations 40 --mix signin=80,register=20");
        Assert.True(run.Exit == 0, run.Output + run.Error);
        var json = run.Json!;

        // The report: every measured ceremony succeeded.
        Assert.Equal(40, (long)json["measured"]!["ceremonies"]!);
        Assert.Equal(40, (long)json["measured"]!["succeeded"]!);
        Assert.Equal(0, (long)json["measured"]!["failed"]!);
        Assert.Empty(json["errors"]!.AsArray());
        Assert.Equal(4, (int)json["setup"]!["registered"]!);
        Assert.False((bool)json["rateLimited"]!);
        Assert.False((bool)json["cancelled"]!);
        Assert.Equal(0, (int)json["exitCode"]!);
        long registrations = Succeeded(json, "register");
        long signIns = Succeeded(json, "signin-username") + Succeeded(json, "signin-discoverable");
        Assert.Equal(40, registrations + signIns);
        foreach (var operation in json["operations"]!.AsArray())
        {
            var latency = operation!["latencyMs"]!;
            foreach (string stage in new[] { "begin", "device", "finish", "ceremony" })
            {
                Assert.Equal((long)operation["succeeded"]!, (long)latency[stage]!["count"]!);
                foreach (string field in new[] { "mean", "p50", "p90", "p99", "max" })
                {
                    Assert.True((double)latency[stage]![field]! >= 0);
                }
            }
        }
        Assert.Contains("40: 40 ok, 0 failed", run.Output, StringComparison.Ordinal);

        // The server: the setup users and every measured registration exist under the run's names,
        // and its audit log holds exactly the report's sign-ins for the run's users, none failed.
        // (Counted per user, not by time, so ceremonies of an earlier test cannot leak in.)
        string prefix = $"bench-{(string)json["runId"]!}-";
        var users = await UsersAsync(server, prefix);
        Assert.Equal(4 + registrations, users.Count);
        var population = users.Where(u => ((string)u["name"]!).StartsWith(prefix + "u", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, population.Count);
        long audited = 0;
        foreach (var user in population)
        {
            var events = await server.AdminAsync(HttpMethod.Get, $"/v1/admin/tenants/default/audit?ceremony=authentication&limit=1000&userId={Uri.EscapeDataString((string)user["id"]!)}");
            foreach (var e in events["events"]!.AsArray())
            {
                Assert.NotEqual("failed", (string?)e!["outcome"]);
                audited += (string?)e["outcome"] == "succeeded" ? 1 : 0;
            }
        }
        Assert.Equal(signIns, audited);
    }

    [Fact]
    public async Task With_an_api_key_the_users_are_created_by_the_app_under_its_ids()
    {
        var server = fixture.Server;
        string key = (string)(await server.AdminAsync(HttpMethod.Post, "/v1/admin/tenants/default/api-keys", """{"name":"bench"}"""))["key"]!;
        var run = Bench(server.Url, $"--api-key {key} --users 2 --concurrency 2 --iterations 6 --mix register=1,signin-discoverable=1");
        Assert.True(run.Exit == 0, run.Output + run.Error);
        Assert.Equal(6, (long)run.Json!["measured"]!["succeeded"]!);
        var users = await UsersAsync(server, $"bench-{(string)run.Json["runId"]!}-");
        Assert.Equal(2 + Succeeded(run.Json, "register"), users.Count);
        Assert.All(users, u => Assert.Equal((string)u["name"]!, (string)u["id"]!));
    }

    [Fact]
    public async Task A_rate_limited_server_shows_RateLimited_with_a_hint_and_exits_1()
    {
        // 12 ceremony requests a minute per address: setup (2 users, 4 requests) passes, then the
        // measured sign-ins (2 requests each) run into the limit after 4 of them.
        await using var server = await RealServer.StartAsync(new RealServerOptions { CeremonyRequestsPerAddress = 12 });
        var run = Bench(server.Url, "--users 2 --concurrency 1 --iterations 20 --mix signin=1");
        Assert.Equal(1, run.Exit);
        var json = run.Json!;
        Assert.True((bool)json["rateLimited"]!);
        Assert.Equal(20, (long)json["measured"]!["ceremonies"]!);
        var limited = json["errors"]!.AsArray().Single(e => (int)e!["code"]! == 1014)!;
        Assert.Equal("RateLimited", (string)limited["name"]!);
        Assert.Equal(429, (int)limited["status"]!);
        Assert.Equal((long)json["measured"]!["failed"]!, (long)limited["count"]!);
        Assert.True((long)limited["count"]! >= 1);
        Assert.Contains("1014 RateLimited (HTTP 429)", run.Output, StringComparison.Ordinal);
        Assert.Contains("hint:", run.Output, StringComparison.Ordinal);
        Assert.Contains("Passkeys:RateLimits", run.Output, StringComparison.Ordinal);
        Assert.Contains("result: FAILED", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_url_exits_2_with_a_clear_message()
    {
        // Held bound, never listening: connections there are refused.
        using var closed = LoopbackPort.Reserve();
        var port = closed.Port;
        var run = Bench(new Uri($"http://127.0.0.1:{port}"), "--iterations 1");
        Assert.Equal(2, run.Exit);
        Assert.Contains($"cannot reach http://127.0.0.1:{port}: connection refused", run.Error, StringComparison.Ordinal);
        Assert.Contains("Is the server running", run.Error, StringComparison.Ordinal);
        Assert.Contains("aborted", run.Json!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(2, (int)run.Json["exitCode"]!);
    }

    [Fact]
    public void A_wrong_tenant_exits_2_and_names_it()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = BenchCommand.Run(["--url", fixture.Server.Url.ToString(), "--tenant", "no-such-shop", "--origin", RealServer.Origin, "--iterations", "1"], output, error, default);
        Assert.Equal(2, exit);
        Assert.Contains("tenant 'no-such-shop' does not exist", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("1008 TenantNotFound", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_api_key_exits_2()
    {
        var run = Bench(fixture.Server.Url, "--api-key pkk_nope_nope --iterations 1");
        Assert.Equal(2, run.Exit);
        Assert.Contains("refused the API key", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--url not-a-url --tenant default", "--url must be an http(s) URL")]
    [InlineData("--url http://127.0.0.1:1 --tenant default --concurrency 0", "--concurrency must be")]
    [InlineData("--url http://127.0.0.1:1 --tenant default --duration 5x", "--duration must be a duration")]
    [InlineData("--url http://127.0.0.1:1 --tenant default --iterations 3 --duration 5s", "not both")]
    [InlineData("--url http://127.0.0.1:1 --tenant default --mix dance=3", "--mix: unknown operation 'dance'")]
    [InlineData("--url http://127.0.0.1:1 --tenant default --users", "--users needs a value")]
    [InlineData("--url http://127.0.0.1:1 --tenant Default", "--tenant must be")]
    public void Bad_usage_exits_2_with_one_line(string args, string message)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = BenchCommand.Run(args.Split(' '), output, error, default);
        Assert.Equal(2, exit);
        Assert.StartsWith("passkeys: ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.Single(error.ToString().Trim().Split('\n'));
    }

    [Fact]
    public void Cancelling_stops_between_ceremonies_and_reports_what_finished()
    {
        using var stop = new CancellationTokenSource();
        // Cancel (as Ctrl+C does) once the measured phase has begun.
        var progress = new CallbackWriter(line =>
        {
            if (line.StartsWith("measuring:", StringComparison.Ordinal))
            {
                stop.CancelAfter(TimeSpan.FromMilliseconds(300));
            }
        });
        var run = Bench(fixture.Server.Url, "--users 2 --concurrency 2 --duration 60s", stop.Token, progress);
        var json = run.Json!;
        Assert.True((bool)json["cancelled"]!);
        Assert.True((bool)json["measured"]!["ran"]!);
        Assert.Equal(0, (long)json["measured"]!["failed"]!);   // a ceremony cut short is not a failure
        Assert.Contains("STOPPED by Ctrl+C", run.Output, StringComparison.Ordinal);
        Assert.Equal((int)json["exitCode"]!, run.Exit);
    }

    private sealed class CallbackWriter(Action<string> onLine) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            onLine(value ?? "");
        }
    }
}
