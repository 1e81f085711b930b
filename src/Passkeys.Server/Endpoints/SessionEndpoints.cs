using Microsoft.AspNetCore.Http.HttpResults;
using Passkeys.Server.Security;
using Passkeys.Server.Sessions;

namespace Passkeys.Server.Endpoints;

/// <summary>Session refresh and sign-out (by refresh token); the user's own sessions (by access token).</summary>
public static class SessionEndpoints
{
    /// <summary>Maps the session endpoints under <c>/v1/tenants/{tenant}</c>.</summary>
    public static RouteGroupBuilder MapSessionEndpoints(this RouteGroupBuilder tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);

        var sessions = tenant.MapGroup("/sessions").WithMetadata(RateLimitClass.Session).WithTags("Sessions");
        sessions.MapPost("/refresh", async Task<Ok<SessionTokens>> (string tenant, RefreshRequest body, HttpContext http, SessionService service, CancellationToken ct) =>
            TypedResults.Ok(await service.RefreshAsync(await http.CallAsync(tenant, ct), body, ct)))
            .WithSummary("Exchange a refresh token for a new access token and a new refresh token (the old one is spent)");
        sessions.MapPost("/revoke", async Task<NoContent> (string tenant, RefreshRequest body, HttpContext http, SessionService service, CancellationToken ct) =>
        {
            await service.SignOutAsync(await http.CallAsync(tenant, ct), body, ct);
            return TypedResults.NoContent();
        }).WithSummary("Sign out: revoke the session of a refresh token (idempotent)");

        var me = tenant.MapGroup("/me").WithMetadata(RateLimitClass.Api).WithTags("Sessions");
        me.MapGet("/sessions", async Task<Ok<SessionList>> (string tenant, HttpContext http, SessionService service, CancellationToken ct) =>
        {
            var (t, user, sid) = await MeAsync(http, tenant, ct);
            return TypedResults.Ok(await service.ListAsync(t, user, sid, ct));
        }).WithSummary("The signed-in user's active sessions");
        me.MapDelete("/sessions/{sessionId}", async Task<NoContent> (string tenant, string sessionId, HttpContext http, SessionService service, CancellationToken ct) =>
        {
            var (t, user, _) = await MeAsync(http, tenant, ct);
            await service.RevokeAsync(t, user, sessionId, RequestActor.Of(http), Observability.ClientInfo.From(http), ct);
            return TypedResults.NoContent();
        }).WithSummary("Revoke one of the signed-in user's sessions");

        tenant.MapDelete("/users/{userId}/sessions/{sessionId}", async Task<NoContent> (string tenant, string userId, string sessionId, HttpContext http,
            Access access, SessionService service, CancellationToken ct) =>
        {
            var call = await http.CallAsync(tenant, ct);
            RequestActor.Authenticated(http, await access.RequireApiKeyAsync(call.Tenant, Presented.From(http), ct));
            await service.RevokeAsync(call.Tenant.Id, userId, sessionId, RequestActor.Of(http), Observability.ClientInfo.From(http), ct);
            return TypedResults.NoContent();
        }).WithMetadata(RateLimitClass.Api).WithTags("Sessions").WithSummary("Revoke one of a user's sessions (by the app's API key)");
        return tenant;
    }

    private static async Task<(string Tenant, string User, string? SessionId)> MeAsync(HttpContext http, string tenantId, CancellationToken ct)
    {
        var call = await http.CallAsync(tenantId, ct);
        var (subject, user) = await http.RequestServices.GetRequiredService<Access>().RequireUserAsync(call.Tenant, call.Issuer, Presented.From(http), ct);
        RequestActor.Authenticated(http, Observability.AuditActor.User(user.Id));
        return (call.Tenant.Id, user.Id, subject.SessionId);
    }
}
