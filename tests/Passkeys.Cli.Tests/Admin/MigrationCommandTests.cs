using System.Text.Json.Nodes;

namespace Passkeys.Cli.Tests.Admin;

/// <summary>`passkeys admin export` and `import` against a real server: a tenant leaves as a file and comes back whole.</summary>
public sealed class MigrationCommandTests(AdminServer server) : IClassFixture<AdminServer>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("passkeys-cli-migration-").FullName;

    [Fact]
    public async Task A_tenant_exported_to_a_file_deleted_and_imported_comes_back_with_its_users_and_passkeys()
    {
        var tenant = await server.NewTenantAsync();
        var (userId, _) = await server.SignUpAsync(tenant, "alice");
        var (_, before) = await server.AdminGetAsync($"/v1/admin/tenants/{tenant}/users/{userId}");
        var file = Path.Combine(_folder, "shop.json");

        var export = await server.RunAsync("admin", "export", "--tenant", tenant, "--out", file);
        export.AssertOk();
        Assert.Contains($"exported tenant {tenant}: 1 users, 1 passkeys", export.Output, StringComparison.Ordinal);
        Assert.Equal("passkeys-tenant-export", (string?)JsonNode.Parse(await File.ReadAllTextAsync(file))!["format"]);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        // The tenant exists: refused, exit 1, with the server's code and the JSON path.
        var refused = await server.RunAsync("admin", "import", file);
        Assert.Equal(1, refused.Exit);
        Assert.StartsWith("error 1155 ImportConflict: ", refused.Error, StringComparison.Ordinal);
        Assert.Contains("$.tenant.id", refused.Error, StringComparison.Ordinal);

        (await server.RunAsync("admin", "tenants", "delete", tenant, "--yes")).AssertOk();
        var imported = await server.RunAsync("admin", "import", file);
        imported.AssertOk();
        Assert.Contains($"imported into tenant {tenant} (created): 1 users, 1 passkeys", imported.Output, StringComparison.Ordinal);
        var (status, after) = await server.AdminGetAsync($"/v1/admin/tenants/{tenant}/users/{userId}");
        Assert.Equal(200, status);
        Assert.True(JsonNode.DeepEquals(before, after));
    }

    [Fact]
    public async Task A_file_that_is_not_json_is_a_usage_error_and_reaches_no_server()
    {
        var file = Path.Combine(_folder, "broken.json");
        await File.WriteAllTextAsync(file, "{ not json");
        var run = await server.RunAsync("admin", "import", file);
        Assert.Equal(2, run.Exit);
        Assert.Contains("is not JSON", run.Error, StringComparison.Ordinal);
        var missing = await server.RunAsync("admin", "import", Path.Combine(_folder, "absent.json"));
        Assert.Equal(2, missing.Exit);
    }

    public void Dispose() => Directory.Delete(_folder, true);
}
