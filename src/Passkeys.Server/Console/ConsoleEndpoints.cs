using Microsoft.AspNetCore.Http.HttpResults;
using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;

namespace Passkeys.Server.OperatorConsole;

/// <summary>
/// The console's own API: operator enrolment and sign-in (<c>/v1/console</c>, no credentials but
/// the passkey), and operator management in the admin API (<c>/v1/admin/operators</c>, admin key or
/// operator session). The console's pages are static files under <c>wwwroot/console</c>.
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>Maps <c>/v1/console/**</c>.</summary>
    public static RouteGroupBuilder MapConsoleEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var g = routes.MapGroup("/v1/console").WithTags("Console");
        // Sign-in and enrolment carry no session yet; a request from another site's page is refused by Origin.
        g.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!HttpMethods.IsGet(http.Request.Method))
            {
                http.RequestServices.GetRequiredService<OperatorSessions>().RequireSameOrigin(http.Request);
            }
            return await next(context);
        });
        g.AddEndpointFilter(QueryParameters.RefuseRepeatedAsync);

        g.MapPost("/enrolment/begin", async Task<Ok<OperatorCeremonyBegun>> (OperatorEnrolmentBeginRequest body, HttpContext http, OperatorCeremonies ceremonies, CancellationToken ct) =>
            TypedResults.Ok(await ceremonies.BeginEnrolmentAsync(body, ClientInfo.From(http), ct)))
            .WithMetadata(RateLimitClass.Ceremony).WithSummary("Begin an operator's enrolment with the secret of an enrolment link");
        g.MapPost("/enrolment/finish", async Task<Ok<OperatorSessionView>> (OperatorCeremonyFinish body, HttpContext http, OperatorCeremonies ceremonies,
            OperatorSessions sessions, CancellationToken ct) =>
        {
            var (view, secret) = await ceremonies.FinishEnrolmentAsync(body, ClientInfo.From(http), ct);
            sessions.SetCookie(http.Response, secret);
            return TypedResults.Ok(view);
        }).WithMetadata(RateLimitClass.Ceremony).WithSummary("Finish enrolment: creates the operator and starts an operator session (cookie)");
        g.MapPost("/sign-in/begin", async Task<Ok<OperatorCeremonyBegun>> (HttpContext http, OperatorCeremonies ceremonies, CancellationToken ct) =>
            TypedResults.Ok(await ceremonies.BeginSignInAsync(ClientInfo.From(http), ct)))
            .WithMetadata(RateLimitClass.Ceremony).WithSummary("Begin an operator sign-in (discoverable passkey, user verification required)");
        g.MapPost("/sign-in/finish", async Task<Ok<OperatorSessionView>> (OperatorCeremonyFinish body, HttpContext http, OperatorCeremonies ceremonies,
            OperatorSessions sessions, CancellationToken ct) =>
        {
            var (view, secret) = await ceremonies.FinishSignInAsync(body, ClientInfo.From(http), ct);
            sessions.SetCookie(http.Response, secret);
            return TypedResults.Ok(view);
        }).WithMetadata(RateLimitClass.Ceremony).WithSummary("Finish an operator sign-in: starts an operator session (cookie)");
        g.MapGet("/session", async Task<Ok<OperatorSessionView>> (HttpContext http, OperatorSessions sessions, IPasskeyStore store, CancellationToken ct) =>
        {
            var s = await sessions.AuthenticateAsync(http, ct) ?? throw new ServerException(ServerError.Unauthorized, "Sign in to the console with your passkey.");
            var passkeys = (await store.ListCredentialsAsync(ConsoleTenant.Id, s.OperatorId, ct)).Count;
            var user = await store.GetUserAsync(ConsoleTenant.Id, s.OperatorId, ct) ?? throw new ServerException(ServerError.Unauthorized);
            return TypedResults.Ok(new OperatorSessionView(new OperatorView(user.Id, user.DisplayName, user.CreatedAt, passkeys), s.CsrfToken, s.IdleExpiresAt, s.ExpiresAt));
        }).WithMetadata(RateLimitClass.Admin).WithSummary("The signed-in operator and the session's CSRF token");
        g.MapPost("/sign-out", async Task<NoContent> (HttpContext http, OperatorSessions sessions, CancellationToken ct) =>
        {
            if (await sessions.AuthenticateAsync(http, ct) is { } s)
            {
                await sessions.EndAsync(s, ClientInfo.From(http), ct);
            }
            sessions.ClearCookie(http.Response);
            return TypedResults.NoContent();
        }).WithMetadata(RateLimitClass.Admin).WithSummary("End the operator session (CSRF header required)");
        return g;
    }

    /// <summary>Maps <c>/v1/admin/operators/**</c> into the admin group (admin key or operator session).</summary>
    public static RouteGroupBuilder MapOperatorEndpoints(this RouteGroupBuilder admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        // Recorded like every admin request by AdminAccess (admin.succeeded, or admin.failed when refused), actor the admin key.
        admin.MapPost("/operators/bootstrap", async Task<Created<OperatorInvitationView>> (HttpContext http, OperatorInvitations invitations, CancellationToken ct) =>
        {
            if (http.AdminPrincipal()?.Kind != AdminPrincipalKind.AdminKey)
            {
                throw new ServerException(ServerError.AdminKeyRequired, "Only the admin key can bootstrap the first operator; operators invite others (POST /v1/admin/operators/invitations).");
            }
            if (await invitations.AnyOperatorAsync(ct))
            {
                throw new ServerException(ServerError.OperatorsAlreadyBootstrapped);
            }
            var (view, _) = await invitations.CreateAsync(null, "bootstrap", AuditActor.Admin, ClientInfo.From(http), ct);
            return TypedResults.Created("/console/", view);
        }).WithSummary("Admin key only, while no operator exists: a one-time enrolment link for the first operator");
        admin.MapPost("/operators/invitations", async Task<Created<OperatorInvitationView>> (OperatorInvitationInput? body, HttpContext http,
            OperatorInvitations invitations, CancellationToken ct) =>
        {
            var (view, _) = await invitations.CreateAsync(http.AdminPrincipal()?.OperatorId, body?.Note, RequestActor.Of(http), ClientInfo.From(http), ct);
            if (body?.Note is { } note)
            {
                AdminAccess.AddAuditDetail(http, "note: " + note.Trim());
            }
            return TypedResults.Created("/console/", view);
        }).WithSummary("A one-time enrolment link for a new operator (expires after Passkeys:Console:InvitationLifetime)");
        admin.MapGet("/operators/invitations", async Task<Ok<PendingInvitationList>> (OperatorInvitations invitations, CancellationToken ct) =>
            TypedResults.Ok(new PendingInvitationList(await invitations.ListPendingAsync(ct))))
            .WithSummary("The pending invitations: not used, not cancelled, not expired (the links themselves are never shown again)");
        admin.MapDelete("/operators/invitations/{invitationId}", async Task<NoContent> (string invitationId, HttpContext http, OperatorInvitations invitations,
            CancellationToken ct) =>
        {
            await invitations.CancelAsync(invitationId, RequestActor.Of(http), ClientInfo.From(http), ct);
            return TypedResults.NoContent();
        }).WithSummary("Cancel a pending invitation: its link is then refused with OperatorInvitationCancelled (1177)");
        admin.MapGet("/operators", async Task<Ok<OperatorList>> (IPasskeyStore store, CancellationToken ct) =>
        {
            var users = await store.ListUsersAsync(ConsoleTenant.Id, null, 1000, ct);
            var list = new List<OperatorView>(users.Count);
            foreach (var u in users)
            {
                list.Add(new OperatorView(u.Id, u.DisplayName, u.CreatedAt, (await store.ListCredentialsAsync(ConsoleTenant.Id, u.Id, ct)).Count));
            }
            return TypedResults.Ok(new OperatorList(list));
        }).WithSummary("Every console operator");
        admin.MapGet("/operators/audit", async Task<Ok<AuditEventList>> (string? ceremony, string? outcome, string? userId, string? from, string? to, string? before,
            string? limit, IPasskeyStore store, CancellationToken ct) =>
        {
            // The console tenant's own log (operator enrolments, sign-ins, invitations, revocations), with the tenant audit's filters.
            var take = QueryParameters.Limit(limit);
            var query = new AuditQuery(ConsoleTenant.Id, QueryParameters.OneOf(ceremony, "ceremony", Observability.Ceremonies.All),
                QueryParameters.OneOf(outcome, "outcome", Observability.Outcomes.All), QueryParameters.Text(userId, "userId"),
                QueryParameters.Time(from, "from"), QueryParameters.Time(to, "to"), QueryParameters.Id(before, "before", "an audit event id"), take + 1);
            var events = await store.QueryAuditEventsAsync(query, ct);
            var more = events.Count > take;
            return TypedResults.Ok(new AuditEventList(events.Take(take).Select(AuditEventView.Of).ToList(), more ? events[take - 1].Id : null));
        }).WithSummary("The console's own audit log: operator enrolments, sign-ins and management");
        admin.MapDelete("/operators/{operatorId}", async Task<NoContent> (string operatorId, HttpContext http, IPasskeyStore store, AuditLog audit, CancellationToken ct) =>
            // Deleting the operator deletes their passkeys and ends their sessions (foreign keys), at
            // once, with its user.deleted event (the console tenant's log) in the same commit.
            operatorId.Length is > 0 and <= 64
            && await store.ChangeAsync(step => step.DeleteUserAsync(ConsoleTenant.Id, operatorId, ct),
                audit.Change(ConsoleTenant.Id, AuditTypes.UserDeleted, RequestActor.Of(http), AuditTarget.User(operatorId), operatorId, client: ClientInfo.From(http)), ct)
                ? TypedResults.NoContent()
                : throw new ServerException(ServerError.OperatorNotFound))
            .WithSummary("Revoke an operator: their passkeys are deleted and their sessions end");
        return admin;
    }
}
