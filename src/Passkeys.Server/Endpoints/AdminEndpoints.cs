using Microsoft.AspNetCore.Http.HttpResults;
using Passkeys.Server.Ceremonies;
using Passkeys.Server.Errors;
using Passkeys.Server.Metadata;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;
using Passkeys.Server.Tenants;
using Passkeys.Server.Tokens;

namespace Passkeys.Server.Endpoints;

/// <summary>The admin API (<c>Authorization: Bearer &lt;admin key&gt;</c>, or a console operator session: <see cref="OperatorConsole.AdminAccess"/>).</summary>
public static class AdminEndpoints
{
    /// <summary>Maps <c>/v1/admin/**</c>.</summary>
    public static RouteGroupBuilder MapAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var admin = routes.MapGroup("/v1/admin").WithMetadata(RateLimitClass.Admin).WithTags("Admin");
        // The admin key or a console operator session (with its CSRF header); sets the AdminPrincipal and the audit actor.
        admin.AddEndpointFilter(OperatorConsole.AdminAccess.FilterAsync);
        admin.AddEndpointFilter(QueryParameters.RefuseRepeatedAsync);

        admin.MapGet("/tenants", async Task<Ok<TenantList>> (IPasskeyStore store, CancellationToken ct) =>
            TypedResults.Ok(new TenantList((await store.ListTenantsAsync(ct)).Where(t => !OperatorConsole.ConsoleTenant.IsInternal(t)).Select(Views.Of).ToList())));
        admin.MapPost("/tenants", async Task<Created<TenantView>> (TenantInput body, HttpContext http, TenantService tenants, CancellationToken ct) =>
        {
            var created = await tenants.CreateAsync(body, RequestActor.Of(http), ClientInfo.From(http), ct);
            return TypedResults.Created($"/v1/admin/tenants/{created.Id}", created);
        });
        admin.MapGet("/tenants/{tenant}", async Task<Ok<TenantView>> (string tenant, Access access, CancellationToken ct) =>
            TypedResults.Ok(Views.Of(await access.TenantAsync(tenant, ct))));
        admin.MapPut("/tenants/{tenant}", async Task<Ok<TenantView>> (string tenant, TenantInput body, HttpContext http, TenantService tenants, CancellationToken ct) =>
            TypedResults.Ok(await tenants.UpdateAsync(tenant, body, RequestActor.Of(http), ClientInfo.From(http), ct)));
        admin.MapDelete("/tenants/{tenant}", async Task<NoContent> (string tenant, HttpContext http, TenantService tenants, CancellationToken ct) =>
        {
            // Only public tenant ids: the console's own tenant (an id the rules refuse) cannot be deleted here.
            if (!TenantRules.IsValidId(tenant))
            {
                throw new ServerException(ServerError.TenantNotFound);
            }
            await tenants.DeleteAsync(tenant, RequestActor.Of(http), ClientInfo.From(http), ct);
            return TypedResults.NoContent();
        });

        admin.MapPost("/tenants/{tenant}/api-keys", async Task<Created<ApiKeyCreated>> (string tenant, ApiKeyInput body, HttpContext http, Access access, ApiKeys keys,
            CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            var (record, key) = await keys.CreateAsync(t.Id, CeremonyService.CheckText(body.Name, "name", 128), RequestActor.Of(http), ClientInfo.From(http), ct);
            return TypedResults.Created($"/v1/admin/tenants/{t.Id}/api-keys/{record.Id}", new ApiKeyCreated(record.Id, record.Name, key, record.CreatedAt));
        });
        admin.MapGet("/tenants/{tenant}/api-keys", async Task<Ok<ApiKeyList>> (string tenant, Access access, IPasskeyStore store, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            var keys = await store.ListApiKeysAsync(t.Id, ct);
            return TypedResults.Ok(new ApiKeyList(keys.Select(k => new ApiKeyView(k.Id, k.Name, k.CreatedAt, k.RevokedAt)).ToList()));
        });
        admin.MapDelete("/tenants/{tenant}/api-keys/{keyId}", async Task<NoContent> (string tenant, string keyId, HttpContext http, Access access, ApiKeys keys,
            CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            return await keys.RevokeAsync(t.Id, keyId, RequestActor.Of(http), ClientInfo.From(http), ct)
                ? TypedResults.NoContent() : throw new ServerException(ServerError.NotFound, "No such live API key.");
        });

        admin.MapGet("/tenants/{tenant}/users", async Task<Ok<UserList>> (string tenant, string? after, string? limit, string? q, Access access, IPasskeyStore store, CancellationToken ct) =>
        {
            var take = QueryParameters.Limit(limit);
            var t = await access.TenantAsync(tenant, ct);
            if (QueryParameters.Text(q, "q") is { } query)
            {
                // Search (the console's users page): an exact user id, else an exact username; never a prefix scan.
                var found = query.Length > 256 ? null : await store.GetUserAsync(t.Id, query, ct) ?? await store.GetUserByNameAsync(t.Id, query, ct);
                return TypedResults.Ok(new UserList(found is null ? [] : [Views.Of(found)], null));
            }
            // One row more than the page: 'next' only when another page exists, so a client never makes a request that returns nothing.
            var users = await store.ListUsersAsync(t.Id, QueryParameters.Text(after, "after"), take + 1, ct);
            var more = users.Count > take;
            return TypedResults.Ok(new UserList(users.Take(take).Select(Views.Of).ToList(), more ? users[take - 1].Id : null));
        });
        admin.MapGet("/tenants/{tenant}/users/{userId}", async Task<Ok<UserDetail>> (string tenant, string userId, Access access, IPasskeyStore store, AuthenticatorDirectory authenticators, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            var user = await store.GetUserAsync(t.Id, userId, ct) ?? throw new ServerException(ServerError.UserNotFound);
            var credentials = await store.ListCredentialsAsync(t.Id, userId, ct);
            return TypedResults.Ok(new UserDetail(Views.Of(user), credentials.Select(c => Views.Of(c, user.DefaultCredentialId, authenticators)).ToList()));
        });
        admin.MapPost("/tenants/{tenant}/users/{userId}/credentials/{credentialId}/reinstate", async Task<Ok<CredentialView>> (string tenant, string userId, string credentialId,
            HttpContext http, Access access, AccountService accounts, CancellationToken ct) =>
            TypedResults.Ok(await accounts.SetStatusAsync((await access.TenantAsync(tenant, ct)).Id, userId, credentialId, CredentialStatus.Active, null,
                RequestActor.Of(http), ClientInfo.From(http), ct)));
        admin.MapPost("/tenants/{tenant}/users/{userId}/credentials/{credentialId}/suspend", async Task<Ok<CredentialView>> (string tenant, string userId, string credentialId,
            HttpContext http, Access access, AccountService accounts, CancellationToken ct) =>
            TypedResults.Ok(await accounts.SetStatusAsync((await access.TenantAsync(tenant, ct)).Id, userId, credentialId, CredentialStatus.Suspended, null,
                RequestActor.Of(http), ClientInfo.From(http), ct)));
        admin.MapDelete("/tenants/{tenant}/users/{userId}", async Task<NoContent> (string tenant, string userId, HttpContext http, Access access, AccountService accounts,
            CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            await accounts.DeleteUserAsync(t.Id, userId, RequestActor.Of(http), ClientInfo.From(http), ct);
            return TypedResults.NoContent();
        });
        admin.MapDelete("/tenants/{tenant}/users/{userId}/sessions/{sessionId}", async Task<NoContent> (string tenant, string userId, string sessionId, HttpContext http,
            Access access, Sessions.SessionService sessions, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            await sessions.RevokeAsync(t.Id, userId, sessionId, RequestActor.Of(http), ClientInfo.From(http), ct);
            return TypedResults.NoContent();
        });

        admin.MapGet("/tenants/{tenant}/signing-keys", async Task<Ok<SigningKeyList>> (string tenant, Access access, SigningKeys keys, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            return TypedResults.Ok(new SigningKeyList((await keys.ListAsync(t.Id, ct)).Select(k => new SigningKeyView(k.KeyId, k.CreatedAt, k.RetiredAt)).ToList()));
        });
        admin.MapPost("/tenants/{tenant}/signing-keys/rotate", async Task<Ok<SigningKeyView>> (string tenant, HttpContext http, Access access, SigningKeys keys,
            CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            var k = await keys.RotateAsync(t.Id, RequestActor.Of(http), ClientInfo.From(http), ct);
            return TypedResults.Ok(new SigningKeyView(k.KeyId, k.CreatedAt, null));
        });

        admin.MapGet("/tenants/{tenant}/audit", async Task<Ok<AuditEventList>> (string tenant, string? ceremony, string? outcome, string? type, string? userId,
            string? from, string? to, string? before, string? limit, Access access, IPasskeyStore store, CancellationToken ct) =>
        {
            var take = QueryParameters.Limit(limit);
            var query = new AuditQuery("", QueryParameters.OneOf(ceremony, "ceremony", Observability.Ceremonies.All),
                QueryParameters.OneOf(outcome, "outcome", Observability.Outcomes.All), QueryParameters.Text(userId, "userId"),
                QueryParameters.Time(from, "from"), QueryParameters.Time(to, "to"), QueryParameters.Id(before, "before", "an audit event id"), take + 1,
                QueryParameters.OneOf(type, "type", Observability.AuditTypes.All));
            var tenantId = await AuditedTenantIdAsync(tenant, access, store, ct);
            // One row more than the page: 'next' only when older events exist.
            var events = await store.QueryAuditEventsAsync(query with { TenantId = tenantId }, ct);
            var more = events.Count > take;
            return TypedResults.Ok(new AuditEventList(events.Take(take).Select(AuditEventView.Of).ToList(), more ? events[take - 1].Id : null));
        });
        // Counted from the ceremonies' funnel rows (Analytics/LegacyFunnel.cs), no longer from audit events.
        admin.MapGet("/tenants/{tenant}/audit/funnel", async Task<Ok<FunnelResponse>> (string tenant, string? from, string? to, Access access, IPasskeyStore store, CancellationToken ct) =>
        {
            var (since, until) = (QueryParameters.Time(from, "from"), QueryParameters.Time(to, "to"));
            var t = await access.TenantAsync(tenant, ct);
            var rows = await store.ListCeremonyOutcomesAsync(t.Id, since ?? DateTimeOffset.UnixEpoch, until ?? DateTimeOffset.MaxValue, ct);
            return TypedResults.Ok(Analytics.LegacyFunnel.Build(rows));
        });
        admin.MapNativeAppEndpoints();
        admin.MapMigrationEndpoints();
        return admin;
    }

    /// <summary>
    /// The tenant whose audit is asked for: an existing one, or a deleted one, whose events are kept
    /// until the retention purge and which is known by its <c>tenant.deleted</c> event; else 404.
    /// </summary>
    private static async Task<string> AuditedTenantIdAsync(string tenant, Access access, IPasskeyStore store, CancellationToken ct)
    {
        if (!TenantRules.IsValidId(tenant) || await store.GetTenantAsync(tenant, ct) is not null)
        {
            return (await access.TenantAsync(tenant, ct)).Id;
        }
        var deleted = await store.QueryAuditEventsAsync(new AuditQuery(tenant, Type: AuditTypes.TenantDeleted, Limit: 1), ct);
        return deleted.Count > 0 ? tenant : throw new ServerException(ServerError.TenantNotFound);
    }
}
