using System.Text;
using System.Text.Json.Nodes;
using Passkeys.Encoding;
using Passkeys.TestSupport;

namespace Passkeys.Cli.Tests.Admin;

/// <summary>
/// `passkeys admin …` against a real server: each test checks the command's effect on the server
/// (over plain HTTP where it matters), its output and its exit code. Tests use tenants of their own.
/// </summary>
public sealed class AdminCommandTests(AdminServer server) : IClassFixture<AdminServer>
{
    [Fact]
    public async Task Tenants_create_show_list_and_update_only_what_was_given()
    {
        var created = await server.RunAsync("admin", "tenants", "create", "--id", "shop", "--rp-id", "shop.example", "--rp-name", "Shop",
            "--origin", "https://shop.example", "--origin", "https://www.shop.example", "--user-verification", "required");
        created.AssertOk();
        Assert.Contains("rp id:             shop.example", created.Output, StringComparison.Ordinal);

        var (status, viaHttp) = await server.AdminGetAsync("/v1/admin/tenants/shop");
        Assert.Equal(200, status);
        var shown = await server.RunAsync("admin", "tenants", "show", "shop", "--json");
        shown.AssertOk();
        Assert.True(JsonNode.DeepEquals(viaHttp, shown.Json()));
        Assert.Equal("required", (string?)viaHttp!["userVerification"]);
        Assert.Equal(2, viaHttp["origins"]!.AsArray().Count);

        var updated = await server.RunAsync("admin", "tenants", "update", "shop", "--rp-name", "Shop Two", "--related-origin", "https://shop.example.de", "--json");
        updated.AssertOk();
        var (_, after) = await server.AdminGetAsync("/v1/admin/tenants/shop");
        Assert.Equal("Shop Two", (string?)after!["rpName"]);
        Assert.Equal("https://shop.example.de", (string?)after["relatedOrigins"]![0]);
        // Everything not given kept its value.
        Assert.Equal("required", (string?)after["userVerification"]);
        Assert.True(JsonNode.DeepEquals(viaHttp["origins"], after["origins"]));
        Assert.Equal((string?)viaHttp["createdAt"], (string?)after["createdAt"]);

        var cleared = await server.RunAsync("admin", "tenants", "update", "shop", "--related-origin");
        cleared.AssertOk();
        Assert.Empty((await server.AdminGetAsync("/v1/admin/tenants/shop")).Body!["relatedOrigins"]!.AsArray());

        var list = await server.RunAsync("admin", "tenants", "list");
        list.AssertOk();
        Assert.Contains(Lines(list.Output), l => l.StartsWith("shop ", StringComparison.Ordinal) && l.Contains("Shop Two", StringComparison.Ordinal));
        Assert.Contains((await server.RunAsync("admin", "tenants", "list", "--json")).Json()["tenants"]!.AsArray(), t => (string?)t!["id"] == "shop");

        var duplicate = await server.RunAsync("admin", "tenants", "create", "--id", "shop", "--rp-id", "shop.example", "--rp-name", "Shop", "--origin", "https://shop.example");
        Assert.Equal(1, duplicate.Exit);
        Assert.StartsWith("error 1015 Conflict: ", duplicate.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tenants_algorithms_are_set_by_name_or_number_kept_by_other_updates_and_reset_to_the_default()
    {
        var created = await server.RunAsync("admin", "tenants", "create", "--id", "algs", "--rp-id", "algs.example", "--rp-name", "Algs",
            "--origin", "https://algs.example", "--algorithm", "EdDSA", "--algorithm", "-48");
        created.AssertOk();
        Assert.Contains("algorithms:        EdDSA ML-DSA-44", created.Output, StringComparison.Ordinal);

        var renamed = await server.RunAsync("admin", "tenants", "update", "algs", "--rp-name", "Algs Two");
        renamed.AssertOk();
        Assert.Equal(["EdDSA", "ML-DSA-44"], (await server.AdminGetAsync("/v1/admin/tenants/algs")).Body!["algorithms"]!.AsArray().Select(a => (string?)a));

        var refused = await server.RunAsync("admin", "tenants", "update", "algs", "--algorithm", "RS1");
        Assert.Equal(1, refused.Exit);
        Assert.StartsWith("error 1090 AlgorithmsInvalid: ", refused.Error, StringComparison.Ordinal);

        var reset = await server.RunAsync("admin", "tenants", "update", "algs", "--algorithm");
        reset.AssertOk();
        Assert.Contains("algorithms:        library default", reset.Output, StringComparison.Ordinal);
        Assert.Null((await server.AdminGetAsync("/v1/admin/tenants/algs")).Body!["algorithms"]);
    }

    [Fact]
    public async Task Deleting_a_tenant_needs_yes_without_a_terminal_and_a_y_on_one()
    {
        string tenant = await server.NewTenantAsync();

        var refused = await server.RunAsync("admin", "tenants", "delete", tenant);
        Assert.Equal(2, refused.Exit);
        Assert.Contains("--yes", refused.Error, StringComparison.Ordinal);
        var declined = await server.RunAsync(new CliInput { Terminal = true, Stdin = "n\n" }, "admin", "tenants", "delete", tenant);
        Assert.Equal(1, declined.Exit);
        Assert.Contains("[y/N]", declined.Error, StringComparison.Ordinal);
        Assert.Equal(200, (await server.AdminGetAsync($"/v1/admin/tenants/{tenant}")).Status);

        var confirmed = await server.RunAsync(new CliInput { Terminal = true, Stdin = "y\n" }, "admin", "tenants", "delete", tenant);
        confirmed.AssertOk();
        Assert.Equal(404, (await server.AdminGetAsync($"/v1/admin/tenants/{tenant}")).Status);

        var again = await server.RunAsync("admin", "tenants", "delete", tenant, "--yes");
        Assert.Equal(1, again.Exit);
        Assert.StartsWith("error 1008 TenantNotFound: ", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_key_created_works_and_once_revoked_is_refused_with_401()
    {
        string tenant = await server.NewTenantAsync(selfSignUp: false);
        var created = await server.RunAsync("admin", "api-keys", "create", "--tenant", tenant, "--name", "backend", "--json");
        created.AssertOk();
        string key = (string)created.Json()["key"]!;
        string id = (string)created.Json()["id"]!;
        Assert.Equal(200, await BeginWithApiKeyAsync(tenant, key));

        var list = await server.RunAsync("admin", "api-keys", "list", "--tenant", tenant);
        Assert.Contains(Lines(list.Output), l => l.StartsWith(id, StringComparison.Ordinal) && l.Contains("backend", StringComparison.Ordinal) && l.EndsWith(" -", StringComparison.Ordinal));

        // The whole key works as KEYID (so a leaked key can be pasted), and its secret is not echoed.
        var revoked = await server.RunAsync("admin", "api-keys", "revoke", key, "--tenant", tenant, "--yes");
        revoked.AssertOk();
        Assert.DoesNotContain(key, revoked.Output + revoked.Error, StringComparison.Ordinal);
        Assert.Equal(401, await BeginWithApiKeyAsync(tenant, key));
        var keys = (await server.RunAsync("admin", "api-keys", "list", "--tenant", tenant, "--json")).Json()["apiKeys"]!.AsArray();
        Assert.NotNull((string?)keys.Single()!["revokedAt"]);

        var twice = await server.RunAsync("admin", "api-keys", "revoke", id, "--tenant", tenant, "--yes");
        Assert.Equal(1, twice.Exit);
        Assert.StartsWith("error 1004 NotFound: ", twice.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_list_pages_and_all_follows_next_then_show_and_delete()
    {
        string tenant = await server.NewTenantAsync();
        var ids = new List<string>();
        foreach (string name in new[] { "ann", "bob", "cat", "dan", "eve" })
        {
            ids.Add((await server.SignUpAsync(tenant, name)).UserId);
        }
        ids.Sort(StringComparer.Ordinal);

        var page = await server.RunAsync("admin", "users", "list", "--tenant", tenant, "--limit", "2");
        page.AssertOk();
        Assert.Equal(3, Lines(page.Output).Length); // header + 2
        Assert.Contains($"--after {ids[1]}", page.Error, StringComparison.Ordinal);

        var all = await server.RunAsync("admin", "users", "list", "--tenant", tenant, "--limit", "2", "--all", "--json");
        all.AssertOk();
        Assert.Equal(ids, all.Json()["users"]!.AsArray().Select(u => (string)u!["id"]!));
        Assert.Null(all.Json()["next"]);
        var allTable = await server.RunAsync("admin", "users", "list", "--tenant", tenant, "--all", "--limit", "2");
        Assert.Equal(6, Lines(allTable.Output).Length);

        var shown = await server.RunAsync("admin", "users", "show", ids[0], "--tenant", tenant, "--json");
        shown.AssertOk();
        Assert.Single(shown.Json()["credentials"]!.AsArray());
        var shownTable = await server.RunAsync("admin", "users", "show", ids[0], "--tenant", tenant);
        Assert.Contains(Lines(shownTable.Output), l => l.StartsWith("passkeys:", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));

        var refused = await server.RunAsync("admin", "users", "delete", ids[0], "--tenant", tenant);
        Assert.Equal(2, refused.Exit);
        Assert.Equal(200, (await server.AdminGetAsync($"/v1/admin/tenants/{tenant}/users/{ids[0]}")).Status);
        (await server.RunAsync("admin", "users", "delete", ids[0], "--tenant", tenant, "--yes")).AssertOk();
        Assert.Equal(404, (await server.AdminGetAsync($"/v1/admin/tenants/{tenant}/users/{ids[0]}")).Status);
        var gone = await server.RunAsync("admin", "users", "show", ids[0], "--tenant", tenant);
        Assert.Equal(1, gone.Exit);
        Assert.StartsWith("error 1010 UserNotFound: ", gone.Error, StringComparison.Ordinal);
    }

    // An app may register a user id containing '/'; the CLI escapes it (%2F) and the server decodes
    // route values from the raw path, so such a user can be shown and deleted like any other.
    [Fact]
    public async Task A_user_id_with_a_slash_can_be_shown_and_deleted()
    {
        string tenant = await server.NewTenantAsync(selfSignUp: false);
        string key = (string)(await server.RunAsync("admin", "api-keys", "create", "--tenant", tenant, "--name", "backend", "--json")).Json()["key"]!;
        await server.SignUpAsync(tenant, "ann", key, "team/ann");

        (await server.RunAsync("admin", "users", "show", "team/ann", "--tenant", tenant)).AssertOk();
        (await server.RunAsync("admin", "users", "delete", "team/ann", "--tenant", tenant, "--yes")).AssertOk();
    }

    [Fact]
    public async Task Rotating_the_signing_key_changes_the_kid_tokens_are_signed_with()
    {
        string tenant = await server.NewTenantAsync();
        string before = Kid((await server.SignUpAsync(tenant, "ann")).Token);

        var rotated = await server.RunAsync("admin", "signing-keys", "rotate", "--tenant", tenant, "--json");
        rotated.AssertOk();
        string kid = (string)rotated.Json()["kid"]!;
        Assert.NotEqual(before, kid);

        var jwks = JsonNode.Parse(await server.Http.GetStringAsync($"/v1/tenants/{tenant}/jwks.json"))!["keys"]!.AsArray();
        Assert.Contains(jwks, k => (string?)k!["kid"] == kid);
        Assert.Equal(kid, Kid((await server.SignUpAsync(tenant, "bob")).Token));

        var list = await server.RunAsync("admin", "signing-keys", "list", "--tenant", tenant);
        list.AssertOk();
        Assert.Contains(Lines(list.Output), l => l.StartsWith(kid + "  active", StringComparison.Ordinal));
        Assert.Contains(Lines(list.Output), l => l.StartsWith(before + "  retired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Audit_shows_the_ceremonies_filters_them_and_follow_prints_new_ones()
    {
        string tenant = await server.NewTenantAsync();
        string ann = (await server.SignUpAsync(tenant, "ann")).UserId;

        // The ceremony's own events (the sign-up's changes, user.created and credential.added, are events of their own families).
        var audit = await server.RunAsync("admin", "audit", "--tenant", tenant, "--ceremony", "registration", "--json");
        audit.AssertOk();
        var events = audit.Json()["events"]!.AsArray();
        Assert.Equal(["succeeded", "started"], events.Select(e => (string)e!["outcome"]!));
        Assert.All(events, e => Assert.Equal("registration", (string?)e!["ceremony"]));
        // Succeeded: the sign-up, and the admin key's request that created the tenant (admin.succeeded).
        var table = await server.RunAsync("admin", "audit", "--tenant", tenant, "--outcome", "succeeded", "--from", "1h");
        var rows = Lines(table.Output).Skip(1).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Single(rows, r => r.Contains(ann, StringComparison.Ordinal) && r.Contains("registration", StringComparison.Ordinal));
        Assert.Single(rows, r => r.Contains("admin", StringComparison.Ordinal) && !r.Contains(ann, StringComparison.Ordinal));
        var none = await server.RunAsync("admin", "audit", "--tenant", tenant, "--ceremony", "authentication");
        Assert.Equal("no events", none.Output.Trim());

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var input = new CliInput { Cancel = stop.Token };
        var follow = server.RunAsync(input, "admin", "audit", "--tenant", tenant, "--ceremony", "registration", "--follow", "--json", "--interval", "0.1");
        await WaitForAsync(() => input.Output?.ToString().Split('\n').Length > 2);
        string bob = (await server.SignUpAsync(tenant, "bob")).UserId;
        // Both of bob's events (started, succeeded), which may arrive in different polls.
        await WaitForAsync(() => input.Output!.ToString().Split('\n').Count(l => l.Contains(bob, StringComparison.Ordinal)) == 2);
        await stop.CancelAsync();
        var followed = await follow;
        Assert.True(followed.Exit == 0, followed.Error);
        // JSON Lines, oldest first: ann's two events, then bob's.
        var lines = Lines(followed.Output).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal([ann, ann, bob, bob], lines.Select(e => (string)e["userId"]!));
        Assert.Equal(lines.Select(e => (long)e["id"]!).Order(), lines.Select(e => (long)e["id"]!));

        var funnel = await server.RunAsync("admin", "funnel", "--tenant", tenant, "--json");
        funnel.AssertOk();
        var registration = funnel.Json()["ceremonies"]!.AsArray().Single(c => (string?)c!["ceremony"] == "registration")!;
        Assert.Equal(2, (int)registration["started"]!);
        Assert.Equal(2, (int)registration["succeeded"]!);
        Assert.Contains(Lines((await server.RunAsync("admin", "funnel", "--tenant", tenant)).Output), l => l.StartsWith("registration", StringComparison.Ordinal) && l.EndsWith("100.0%", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_admin_key_exits_1_with_code_1006_and_the_key_is_never_printed()
    {
        var run = await server.RunAsync(new CliInput { AdminKey = "not-the-admin-key" }, "admin", "tenants", "list");
        Assert.Equal(1, run.Exit);
        Assert.StartsWith("error 1006 Unauthorized: ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-admin-key", run.Error, StringComparison.Ordinal);

        var onCommandLine = await server.RunAsync(new CliInput { AdminKey = "" }, "admin", "tenants", "list", "--admin-key", AdminServer.AdminKey);
        onCommandLine.AssertOk();
        Assert.Contains("warning: --admin-key", onCommandLine.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(AdminServer.AdminKey, onCommandLine.Output + onCommandLine.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_exits_2_naming_the_url()
    {
        // Held bound, never listening: connections there are refused.
        using var closed = LoopbackPort.Reserve();
        var port = closed.Port;

        var run = await server.RunAsync(new CliInput { Url = $"http://127.0.0.1:{port}" }, "admin", "tenants", "list");
        Assert.Equal(2, run.Exit);
        Assert.Contains($"http://127.0.0.1:{port}/", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin", "users", "list")]                                   // --tenant missing
    [InlineData("admin", "tenants")]                                         // no subcommand
    [InlineData("admin", "tenants", "show")]                                 // ID missing
    [InlineData("admin", "tenants", "list", "--bogus")]                      // unknown option
    [InlineData("admin", "users", "list", "--tenant", "default", "--limit", "abc")]
    [InlineData("admin", "users", "list", "--tenant", "default", "--limit", "0")]
    [InlineData("admin", "audit", "--tenant", "default", "--from", "yesterday")]
    [InlineData("admin", "audit", "--tenant", "default", "--follow", "--to", "1h")]
    [InlineData("admin", "tenants", "create", "--id", "x", "--rp-id", "x.example", "--rp-name", "X")] // --origin missing
    [InlineData("admin", "tenants", "list", "--url", "ftp://example.com")]
    public async Task Bad_usage_exits_2_with_a_message_and_no_stack_trace(params string[] args)
    {
        var run = await server.RunAsync(args);
        Assert.Equal(2, run.Exit);
        Assert.StartsWith("passkeys: ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_admin_key_it_says_where_to_put_one()
    {
        var run = await server.RunAsync(new CliInput { AdminKey = "" }, "admin", "tenants", "list");
        Assert.Equal(2, run.Exit);
        Assert.Contains("PASSKEYS_ADMIN_KEY", run.Error, StringComparison.Ordinal);
    }

    private async Task<int> BeginWithApiKeyAsync(string tenant, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/tenants/{tenant}/registration/begin")
        {
            Content = new StringContent("""{"user":{"id":"app-user-1","name":"ann","displayName":"Ann"}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", key);
        using var response = await server.Http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            Assert.Equal(1006, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!);
        }
        return (int)response.StatusCode;
    }

    private static string Kid(string jwt) =>
        (string)JsonNode.Parse(Base64UrlStrict.Decode(jwt.Split('.')[0], "JWT header"))!["kid"]!;

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToArray();

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var waited = TimeSpan.Zero; !condition(); waited += TimeSpan.FromMilliseconds(50))
        {
            Assert.True(waited < TimeSpan.FromSeconds(10), "timed out waiting");
            await Task.Delay(50);
        }
    }
}
