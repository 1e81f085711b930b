using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Passkeys.Server.Errors;
using Passkeys.Server.Migration;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;

namespace Passkeys.Server.Endpoints;

/// <summary>Export and import of tenants (docs/export-format.md), on the admin group.</summary>
public static class MigrationEndpoints
{
    /// <summary>
    /// The largest import body: a tenant's file is far larger than any API call (about 1 KiB per
    /// passkey), so the import routes alone lift <c>Passkeys:MaxRequestBodyBytes</c> to this.
    /// </summary>
    public const long MaxImportBytes = 256L * 1024 * 1024;

    /// <summary>Maps the export and import routes onto the admin group (its admin-key filter applies).</summary>
    public static RouteGroupBuilder MapMigrationEndpoints(this RouteGroupBuilder admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        admin.MapGet("/tenants/{tenant}/export", async Task<Ok<TenantExport>> (string tenant, HttpContext http, Access access, TenantExporter exporter, CancellationToken ct) =>
            TypedResults.Ok(await exporter.ExportAsync(await access.TenantAsync(tenant, ct), RequestActor.Of(http), ClientInfo.From(http), ct)))
            .WithSummary("The tenant's settings, users and passkeys as a versioned file, without secrets");
        admin.MapPost("/tenants/import", async Task<Created<ImportSummary>> (HttpRequest request, ImportService imports, CancellationToken ct) =>
        {
            var summary = await imports.ImportAsync(await ReadAsync(request, ct), null, RequestActor.Of(request.HttpContext), ClientInfo.From(request.HttpContext), ct);
            return TypedResults.Created($"/v1/admin/tenants/{summary.Tenant}", summary);
        }).WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes)).Accepts<JsonElement>("application/json")
            .WithSummary("Creates a tenant from an export file, all or nothing");
        admin.MapPost("/tenants/{tenant}/import", async Task<Ok<ImportSummary>> (string tenant, HttpRequest request, Access access, ImportService imports, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            return TypedResults.Ok(await imports.ImportAsync(await ReadAsync(request, ct), t.Id, RequestActor.Of(request.HttpContext), ClientInfo.From(request.HttpContext), ct));
        }).WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes)).Accepts<JsonElement>("application/json")
            .WithSummary("Adds the users and passkeys of a file (this server's export, ASP.NET Core Identity's or fido2-net-lib's) to a tenant, all or nothing");
        return admin;
    }

    // Read here rather than bound: the file is parsed once into a document the readers walk with JSON paths.
    private static async Task<JsonElement> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
        {
            throw new ServerException(ServerError.UnsupportedMediaType);
        }
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 32 }, ct);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ServerException(ServerError.MalformedRequest, $"The file is not JSON: {e.Message}");
        }
    }
}
