using Microsoft.AspNetCore.Http.HttpResults;
using Passkeys.Server.Ceremonies;
using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Sessions;
using Passkeys.Server.Storage;

namespace Passkeys.Server.OperatorConsole;

/// <summary>
/// What the console's user page needs beyond the user and passkey endpoints of the admin API:
/// their sessions (and ending them), their recovery-code state.
/// Admin key or operator session, like all of <c>/v1/admin</c>.
/// </summary>
public static class AdminUserEndpoints
{
    /// <summary>Maps the endpoints into the admin group.</summary>
    public static RouteGroupBuilder MapAdminUserEndpoints(this RouteGroupBuilder admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        admin.MapGet("/tenants/{tenant}/users/{userId}/sessions", async Task<Ok<SessionList>> (string tenant, string userId, Access access, IPasskeyStore store,
            SessionService sessions, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            _ = await store.GetUserAsync(t.Id, userId, ct) ?? throw new ServerException(ServerError.UserNotFound);
            return TypedResults.Ok(await sessions.ListAsync(t.Id, userId, null, ct));
        }).WithSummary("A user's active sessions");

        admin.MapDelete("/tenants/{tenant}/users/{userId}/sessions", async Task<Ok<SessionsEnded>> (string tenant, string userId, HttpContext http, Access access,
            IPasskeyStore store, Sessions.SessionService sessions, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            _ = await store.GetUserAsync(t.Id, userId, ct) ?? throw new ServerException(ServerError.UserNotFound);
            // Each refresh token of a session dies with it (each ending audited as session.revoked); the access tokens already issued run out (Tokens:Lifetime).
            return TypedResults.Ok(new SessionsEnded(await sessions.RevokeAllAsync(t.Id, userId, RequestActor.Of(http), ClientInfo.From(http), ct)));
        }).WithSummary("End every active session of a user");

        admin.MapGet("/tenants/{tenant}/users/{userId}/recovery-codes", async Task<Ok<RecoveryCodeStatus>> (string tenant, string userId, Access access,
            IPasskeyStore store, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            _ = await store.GetUserAsync(t.Id, userId, ct) ?? throw new ServerException(ServerError.UserNotFound);
            var unused = await store.ListUnusedRecoveryCodesAsync(t.Id, userId, ct);
            return TypedResults.Ok(new RecoveryCodeStatus(unused.Count, unused.Count == 0 ? null : unused.Max(c => c.CreatedAt)));
        }).WithSummary("How many unused recovery codes a user has, and when they were made");
        return admin;
    }
}

/// <summary>How many sessions an operator ended.</summary>
public sealed record SessionsEnded(int Ended);
