using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Passkeys.Cli.Admin;

/// <summary>
/// <c>passkeys admin export --tenant T [--out FILE]</c> and <c>passkeys admin import FILE [--into T]</c>:
/// move a tenant between servers, or bring passkeys from ASP.NET Core Identity or fido2-net-lib
/// (docs/export-format.md).
/// </summary>
internal static class MigrationCommands
{
    public static Command Export(AdminOptions options)
    {
        var tenant = AdminCommand.TenantOption();
        var output = new Option<FileInfo?>("--out") { Description = "The file to write (created owner-only, replaced if it exists); standard output without it" };
        var command = new Command("export", "Write a tenant (settings, users, passkeys; never a secret) as a versioned JSON file") { tenant, output };
        command.Action = new AdminAction(options, async (call, ct) =>
        {
            string text = await call.Http.SendAsync(HttpMethod.Get, AdminHttp.Path("v1/admin/tenants", call.Value(tenant)!) + "/export", null, ct).ConfigureAwait(false);
            if (call.Value(output) is not { } file)
            {
                call.Out.WriteLine(text);
                return 0;
            }
            var summary = Summary(text);
            await WriteOwnerOnlyAsync(file, text, ct).ConfigureAwait(false);
            call.Out.WriteLine($"exported tenant {call.Value(tenant)}: {summary} to {file.FullName}");
            return 0;
        });
        return command;
    }

    public static Command Import(AdminOptions options)
    {
        var file = new Argument<FileInfo>("file") { Description = "An export of this server, or an aspnetcore-identity or fido2-net-lib file (docs/export-format.md)" };
        var into = new Option<string?>("--into")
        {
            Description = "Add the file's users and passkeys to this existing tenant instead of creating the file's tenant (required for other libraries' files)",
        };
        var command = new Command("import", "Import a file, all or nothing: a new tenant from an export, or users and passkeys into --into") { file, into };
        command.Action = new AdminAction(options, async (call, ct) =>
        {
            var path = call.Value(file);
            JsonNode body;
            try
            {
                body = JsonNode.Parse(await File.ReadAllTextAsync(path.FullName, ct).ConfigureAwait(false))
                    ?? throw new CliException($"{path.FullName} holds JSON null, not an import file");
            }
            catch (IOException e)
            {
                throw new CliException($"cannot read {path.FullName}: {e.Message}", e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new CliException($"cannot read {path.FullName}: {e.Message}", e);
            }
            catch (JsonException e)
            {
                throw new CliException($"{path.FullName} is not JSON: {e.Message}", e);
            }
            string target = call.Value(into) is { } tenant ? AdminHttp.Path("v1/admin/tenants", tenant) + "/import" : "v1/admin/tenants/import";
            var reply = await call.Http.SendAsync<ImportSummary>(HttpMethod.Post, target, body, ct).ConfigureAwait(false);
            if (call.Json)
            {
                call.Out.WriteLine(reply.Json);
                return 0;
            }
            var s = reply.Value;
            call.Out.WriteLine($"imported into tenant {s.Tenant}{(s.TenantCreated ? " (created)" : "")}: {s.Users} users, {s.Credentials} passkeys");
            return 0;
        });
        return command;
    }

    private static string Summary(string export)
    {
        var users = JsonNode.Parse(export)?["users"]?.AsArray() ?? [];
        return $"{users.Count} users, {users.Sum(u => u?["credentials"]?.AsArray().Count ?? 0)} passkeys";
    }

    // An export names every user: readable by its owner only, as the server's own data folder is.
    private static async Task WriteOwnerOnlyAsync(FileInfo file, string text, CancellationToken ct)
    {
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            await using var stream = new FileStream(file.FullName, options);
            await using var writer = new StreamWriter(stream);
            await writer.WriteAsync(text.AsMemory(), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write {file.FullName}: {e.Message}", e);
        }
    }
}
