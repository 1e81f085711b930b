using Microsoft.AspNetCore.Http.HttpResults;
using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;

namespace Passkeys.Server.OperatorConsole;

/// <summary>
/// Who may call the admin API: the admin key (<c>Authorization: Bearer</c>; API, CLI) or a console
/// operator (session cookie, plus the CSRF header on unsafe requests). A bearer, when sent, is
/// the only thing looked at, so a wrong key is refused and never falls back to a cookie. Sets the
/// request's <see cref="AdminPrincipal"/> and audits every unsafe request (POST, PUT, PATCH, DELETE)
/// either of them makes, as <c>admin.succeeded</c> or <c>admin.failed</c> with the operator or the
/// admin key as its actor (<see cref="OperatorAudit"/>): the CLI's and automation's changes leave the
/// same trail as an operator's, including the refused ones.
/// </summary>
public static class AdminAccess
{
    private static readonly object DetailKey = new();

    /// <summary>
    /// Adds a detail to the audit event of this admin action (e.g. an invitation's note), written
    /// after the action as <c>METHOD route (detail)</c>.
    /// </summary>
    public static void AddAuditDetail(HttpContext http, string detail)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Items[DetailKey] = detail;
    }

    /// <summary>The endpoint filter of the <c>/v1/admin</c> group.</summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var presented = Presented.From(http);
        var services = http.RequestServices;
        AdminPrincipal principal;
        if (presented.Bearer is not null || !services.GetRequiredService<OperatorSessions>().HasCookie(http.Request))
        {
            if (!services.GetRequiredService<AdminKey>().Matches(presented.Bearer))
            {
                throw new ServerException(ServerError.Unauthorized, "A valid admin key (Authorization: Bearer) or a console operator session is required.");
            }
            principal = AdminPrincipal.AdminKeyHolder;
            RequestActor.Authenticated(http, AuditActor.Admin);
        }
        else
        {
            var session = await services.GetRequiredService<OperatorSessions>().AuthenticateAsync(http, http.RequestAborted).ConfigureAwait(false)
                ?? throw new ServerException(ServerError.Unauthorized);
            principal = new AdminPrincipal(AdminPrincipalKind.Operator, session.OperatorId, session.OperatorName, session.SessionId);
            // Every change this request makes is then audited with the operator as its actor.
            http.Items[RequestActor.OperatorItem] = session.OperatorId;
        }
        http.SetAdminPrincipal(principal);
        // Reads change nothing and are not recorded; every other request is, whoever made it.
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method))
        {
            return await next(context).ConfigureAwait(false);
        }
        var audit = services.GetRequiredService<OperatorAudit>();
        var action = $"{http.Request.Method} {(http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value}";
        var userId = http.GetRouteValue("userId") as string;
        var credentialId = http.GetRouteValue("credentialId") as string;
        try
        {
            var result = await next(context).ConfigureAwait(false);
            if (http.Items.TryGetValue(DetailKey, out var detail) && detail is string text)
            {
                action += $" ({text})";
            }
            await audit.RecordAsync(TenantOf(http, result), principal, action, userId, credentialId, null, null, ClientInfo.From(http)).ConfigureAwait(false);
            return result;
        }
        catch (Exception e) when (e is ServerException or PasskeyException)
        {
            var (code, name) = e is ServerException s ? ((int)s.Error, s.Error.ToString()) : ((int)((PasskeyException)e).Error, ((PasskeyException)e).Error.ToString());
            await audit.RecordAsync(TenantOf(http, null), principal, action, userId, credentialId, code, name, ClientInfo.From(http)).ConfigureAwait(false);
            throw;
        }
    }

    // The tenant the action concerned: the route's, a tenant just created, else the console's own.
    private static string TenantOf(HttpContext http, object? result) => http.GetRouteValue("tenant") switch
    {
        string t when Tenants.TenantRules.IsValidId(t) => t,
        _ => result is Created<TenantView> { Value: { } created } ? created.Id : ConsoleTenant.Id,
    };
}
