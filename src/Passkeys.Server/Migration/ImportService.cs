using System.Text.Json;
using Microsoft.Extensions.Options;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Storage;
using Passkeys.Server.Tenants;

namespace Passkeys.Server.Migration;

/// <summary>What an import wrote.</summary>
public sealed record ImportSummary(string Tenant, bool TenantCreated, int Users, int Credentials);

/// <summary>
/// Imports a file (docs/export-format.md): reads it by its <c>format</c>, checks every entry, then
/// writes everything in one transaction (<see cref="IPasskeyStore.ImportAsync"/>) with its
/// <c>tenant.imported</c> event: a refused file changes nothing and leaves no event.
/// </summary>
public sealed class ImportService(IPasskeyStore store, TenantService tenants, AuditLog audit, TimeProvider time,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    /// <summary>The formats <see cref="ImportAsync"/> reads.</summary>
    public static readonly string[] Formats = [TenantExport.FormatName, AspNetIdentityReader.FormatName, Fido2NetLibReader.FormatName];

    /// <summary>
    /// Imports <paramref name="file"/>: into a new tenant (<paramref name="intoTenant"/> null; only this
    /// server's export carries tenant settings) or, adding users and passkeys, into an existing one;
    /// audited as done by <paramref name="actor"/>.
    /// </summary>
    public async Task<ImportSummary> ImportAsync(JsonElement file, string? intoTenant, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        var root = new JsonField(file, "$");
        if (file.ValueKind != JsonValueKind.Object)
        {
            throw new ServerException(ServerError.ImportFormatUnknown, "$: an import file is a JSON object with a 'format' member.") { Path = "$" };
        }
        var formatField = root.Optional("format");
        var format = formatField?.Value.ValueKind == JsonValueKind.String ? formatField.Value.Value.GetString() : null;
        if (format is null || !Formats.Contains(format))
        {
            throw new ServerException(ServerError.ImportFormatUnknown,
                $"$.format: must be one of {string.Join(", ", Formats)}.") { Path = "$.format" };
        }
        TenantRecord? into = null;
        if (intoTenant is not null)
        {
            into = await store.GetTenantAsync(intoTenant, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.TenantNotFound);
        }
        else if (format != TenantExport.FormatName)
        {
            throw new ServerException(ServerError.ImportFieldInvalid,
                $"$.format: a {format} file has no tenant settings; import it into an existing tenant (POST /v1/admin/tenants/{{tenant}}/import).") { Path = "$.format" };
        }
        var now = time.GetUtcNow();
        var plan = format switch
        {
            AspNetIdentityReader.FormatName => AspNetIdentityReader.Read(root, into!, now),
            Fido2NetLibReader.FormatName => Fido2NetLibReader.Read(root, into!, now),
            _ => TenantExportReader.Read(root, into, tenants, json.Value.SerializerOptions, now),
        };
        ImportRules.Unique(plan.Users);
        var credentials = plan.Users.SelectMany(u => u.Credentials).ToList();
        var imported = audit.Change(plan.Target.Id, AuditTypes.TenantImported, actor, AuditTarget.Tenant(plan.Target.Id), client: client,
            details: new Dictionary<string, string?>
            {
                ["format"] = format,
                ["users"] = plan.Users.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["credentials"] = credentials.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["tenantCreated"] = plan.NewTenant is not null ? "true" : "false",
            });
        var result = await store.ImportAsync(new TenantImport(plan.NewTenant, plan.Target.Id, [.. plan.Users.Select(u => u.User)], [.. credentials.Select(c => c.Row)]),
            imported, ct).ConfigureAwait(false);
        return result.Outcome switch
        {
            ImportOutcome.Imported => new ImportSummary(plan.Target.Id, plan.NewTenant is not null, plan.Users.Count, credentials.Count),
            ImportOutcome.TenantExists => throw Conflict("$.tenant.id", $"a tenant with id '{plan.Target.Id}' exists already; delete it first, or add the file's users to it with POST /v1/admin/tenants/{plan.Target.Id}/import."),
            ImportOutcome.TenantMissing => throw new ServerException(ServerError.TenantNotFound),
            ImportOutcome.UserExists => throw Conflict(result.Index >= 0 ? plan.Users[result.Index].Path : "$.users",
                $"the tenant has a user with this id, name or handle already."),
            _ => throw Conflict(result.Index >= 0 ? credentials[result.Index].Path : "$",
                "a passkey with this credential id is registered already (in this or another tenant)."),
        };
    }

    private static ServerException Conflict(string path, string message) =>
        new(ServerError.ImportConflict, $"{path}: {message} Nothing was imported.") { Path = path };
}
