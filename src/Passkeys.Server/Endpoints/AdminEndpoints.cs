using Microsoft.AspNetCore.Http.HttpResults;
using Passkeys.Server.Ceremonies;
using Passkeys.Server.Errors;
using Passkeys.Server.Metadata;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;
using Passkeys.Server.Tenants;
using Passkeys.Server.Tokens;

namespace Passkeys.Server.Endpoints;

/// <summary>The admin API (<c>Authorization: Bearer &lt;admin key&gt;</c>).</summary>
public static class AdminEndpoints
{
    /// <summary>Maps <c>/v1/admin/**</c>.</summary>
    public static RouteGroupBuilder MapAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var admin = routes.MapGroup("/v1/admin").WithMetadata(RateLimitClass.Admin).WithTags("Admin");
        admin.AddEndpointFilter(async (context, next) =>
        {
            var presented = Presented.From(context.HttpContext);
            if (!context.HttpContext.RequestServices.GetRequiredService<AdminKey>().Matches(presented.Bearer))
            {
                throw new ServerException(ServerError.Unauthorized, "A valid admin key is required.");
            }
            return await next(context);
        });
        admin.AddEndpointFilter(QueryParameters.RefuseRepeatedAsync);

        admin.MapGet("/tenants", async Task<Ok<TenantList>> (IPasskeyStore store, CancellationToken ct) =>
            TypedResults.Ok(new TenantList((await store.ListTenantsAsync(ct)).Select(Views.Of).ToList())));
        admin.MapPost("/tenants", async Task<Created<TenantView>> (TenantInput body, TenantService tenants, CancellationToken ct) =>
        {
            var created = await tenants.CreateAsync(body, ct);
            return TypedResults.Created($"/v1/admin/tenants/{created.Id}", created);
        });
        admin.MapGet("/tenants/{tenant}", async Task<Ok<TenantView>> (string tenant, Access access, CancellationToken ct) =>
            TypedResults.Ok(Views.Of(await access.TenantAsync(tenant, ct))));
        admin.MapPut("/tenants/{tenant}", async Task<Ok<TenantView>> (string tenant, TenantInput body, TenantService tenants, CancellationToken ct) =>
            TypedResults.Ok(await tenants.UpdateAsync(tenant, body, ct)));
        admin.MapDelete("/tenants/{tenant}", async Task<NoContent> (string tenant, IPasskeyStore store, CancellationToken ct) =>
            await store.DeleteTenantAsync(tenant, ct) ? TypedResults.NoContent() : throw new ServerException(ServerError.TenantNotFound));

        admin.MapPost("/tenants/{tenant}/api-keys", async Task<Created<ApiKeyCreated>> (string tenant, ApiKeyInput body, Access access, ApiKeys keys, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            var (record, key) = await keys.CreateAsync(t.Id, CeremonyService.CheckText(body.Name, "name", 128), ct);
            return TypedResults.Created($"/v1/admin/tenants/{t.Id}/api-keys/{record.Id}", new ApiKeyCreated(record.Id, record.Name, key, record.CreatedAt));
        });
        admin.MapGet("/tenants/{tenant}/api-keys", async Task<Ok<ApiKeyList>> (string tenant, Access access, IPasskeyStore store, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            var keys = await store.ListApiKeysAsync(t.Id, ct);
            return TypedResults.Ok(new ApiKeyList(keys.Select(k => new ApiKeyView(k.Id, k.Name, k.CreatedAt, k.RevokedAt)).ToList()));
        });
        admin.MapDelete("/tenants/{tenant}/api-keys/{keyId}", async Task<NoContent> (string tenant, string keyId, Access access, IPasskeyStore store, TimeProvider time, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            return await store.RevokeApiKeyAsync(t.Id, keyId, time.GetUtcNow(), ct) ? TypedResults.NoContent() : throw new ServerException(ServerError.NotFound, "No such live API key.");
        });

        admin.MapGet("/tenants/{tenant}/users", async Task<Ok<UserList>> (string tenant, string? after, string? limit, Access access, IPasskeyStore store, CancellationToken ct) =>
        {
            var take = QueryParameters.Limit(limit);
            var t = await access.TenantAsync(tenant, ct);
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
                Observability.ClientInfo.From(http), ct)));
        admin.MapPost("/tenants/{tenant}/users/{userId}/credentials/{credentialId}/suspend", async Task<Ok<CredentialView>> (string tenant, string userId, string credentialId,
            HttpContext http, Access access, AccountService accounts, CancellationToken ct) =>
            TypedResults.Ok(await accounts.SetStatusAsync((await access.TenantAsync(tenant, ct)).Id, userId, credentialId, CredentialStatus.Suspended, null,
                Observability.ClientInfo.From(http), ct)));
        admin.MapDelete("/tenants/{tenant}/users/{userId}", async Task<NoContent> (string tenant, string userId, Access access, IPasskeyStore store, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            return await store.DeleteUserAsync(t.Id, userId, ct) ? TypedResults.NoContent() : throw new ServerException(ServerError.UserNotFound);
        });

        admin.MapGet("/tenants/{tenant}/signing-keys", async Task<Ok<SigningKeyList>> (string tenant, Access access, SigningKeys keys, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            return TypedResults.Ok(new SigningKeyList((await keys.ListAsync(t.Id, ct)).Select(k => new SigningKeyView(k.KeyId, k.CreatedAt, k.RetiredAt)).ToList()));
        });
        admin.MapPost("/tenants/{tenant}/signing-keys/rotate", async Task<Ok<SigningKeyView>> (string tenant, Access access, SigningKeys keys, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            var k = await keys.RotateAsync(t.Id, ct);
            return TypedResults.Ok(new SigningKeyView(k.KeyId, k.CreatedAt, null));
        });

        admin.MapGet("/tenants/{tenant}/audit", async Task<Ok<AuditEventList>> (string tenant, string? ceremony, string? outcome, string? userId,
            string? from, string? to, string? before, string? limit, Access access, IPasskeyStore store, CancellationToken ct) =>
        {
            var take = QueryParameters.Limit(limit);
            var query = new AuditQuery("", QueryParameters.OneOf(ceremony, "ceremony", Observability.Ceremonies.All),
                QueryParameters.OneOf(outcome, "outcome", Observability.Outcomes.All), QueryParameters.Text(userId, "userId"),
                QueryParameters.Time(from, "from"), QueryParameters.Time(to, "to"), QueryParameters.Id(before, "before", "an audit event id"), take + 1);
            var t = await access.TenantAsync(tenant, ct);
            // One row more than the page: 'next' only when older events exist.
            var events = await store.QueryAuditEventsAsync(query with { TenantId = t.Id }, ct);
            var more = events.Count > take;
            return TypedResults.Ok(new AuditEventList(events.Take(take).Select(e => new AuditEventView(e.Id, e.At, e.TenantId, e.Ceremony, e.Outcome, e.CeremonyId, e.UserId,
                e.CredentialId, e.ErrorCode, e.Error, e.ClientAddress, e.UserAgent, e.Browser, e.Os, e.DurationMs)).ToList(), more ? events[take - 1].Id : null));
        });
        // Counted from the ceremonies' funnel rows (Analytics/LegacyFunnel.cs), no longer from audit events.
        admin.MapGet("/tenants/{tenant}/audit/funnel", async Task<Ok<FunnelResponse>> (string tenant, string? from, string? to, Access access, IPasskeyStore store, CancellationToken ct) =>
        {
            var (since, until) = (QueryParameters.Time(from, "from"), QueryParameters.Time(to, "to"));
            var t = await access.TenantAsync(tenant, ct);
            var rows = await store.ListCeremonyOutcomesAsync(t.Id, since ?? DateTimeOffset.UnixEpoch, until ?? DateTimeOffset.MaxValue, ct);
            return TypedResults.Ok(Analytics.LegacyFunnel.Build(rows));
        });
        return admin;
    }
}
