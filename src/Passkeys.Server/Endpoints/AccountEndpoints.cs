using Microsoft.AspNetCore.Http.HttpResults;
using Passkeys.Server.Ceremonies;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Tokens;

namespace Passkeys.Server.Endpoints;

/// <summary>Credentials and recovery codes, by the app's API key or by the user's own token; recovery redeem; JWKS.</summary>
public static class AccountEndpoints
{
    /// <summary>Maps the account endpoints under <c>/v1/tenants/{tenant}</c>.</summary>
    public static RouteGroupBuilder MapAccountEndpoints(this RouteGroupBuilder tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);

        // By the app (API key).
        var app = tenant.MapGroup("/users/{userId}").WithMetadata(RateLimitClass.Api).WithTags("Credentials (API key)");
        app.MapGet("/credentials", async Task<Ok<CredentialList>> (string tenant, string userId, HttpContext http, AccountService accounts, CancellationToken ct) =>
            TypedResults.Ok(await accounts.ListAsync((await AppAsync(http, tenant, ct)).Tenant.Id, userId, ct)));
        app.MapPatch("/credentials/{credentialId}", async Task<Ok<CredentialView>> (string tenant, string userId, string credentialId, RenameRequest body, HttpContext http, AccountService accounts, CancellationToken ct) =>
            TypedResults.Ok(await accounts.RenameAsync((await AppAsync(http, tenant, ct)).Tenant.Id, userId, credentialId, body.Name, RequestActor.Of(http), ClientInfo.From(http), ct)));
        app.MapDelete("/credentials/{credentialId}", async Task<NoContent> (string tenant, string userId, string credentialId, HttpContext http, AccountService accounts, CancellationToken ct) =>
        {
            await accounts.DeleteAsync((await AppAsync(http, tenant, ct)).Tenant.Id, userId, credentialId, RequestActor.Of(http), ClientInfo.From(http), ct);
            return TypedResults.NoContent();
        });
        app.MapPost("/credentials/{credentialId}/default", async Task<Ok<CredentialView>> (string tenant, string userId, string credentialId, HttpContext http, AccountService accounts, CancellationToken ct) =>
            TypedResults.Ok(await accounts.SetDefaultAsync((await AppAsync(http, tenant, ct)).Tenant.Id, userId, credentialId, RequestActor.Of(http), ClientInfo.From(http), ct)));
        app.MapPost("/credentials/{credentialId}/reinstate", async Task<Ok<CredentialView>> (string tenant, string userId, string credentialId, HttpContext http, AccountService accounts, CancellationToken ct) =>
            TypedResults.Ok(await accounts.SetStatusAsync((await AppAsync(http, tenant, ct)).Tenant.Id, userId, credentialId, Storage.CredentialStatus.Active, null,
                RequestActor.Of(http), ClientInfo.From(http), ct)));
        app.MapPost("/credentials/{credentialId}/suspend", async Task<Ok<CredentialView>> (string tenant, string userId, string credentialId, HttpContext http, AccountService accounts, CancellationToken ct) =>
            TypedResults.Ok(await accounts.SetStatusAsync((await AppAsync(http, tenant, ct)).Tenant.Id, userId, credentialId, Storage.CredentialStatus.Suspended, null,
                RequestActor.Of(http), ClientInfo.From(http), ct)));
        app.MapPost("/recovery-codes", async Task<Ok<RecoveryCodesResponse>> (string tenant, string userId, HttpContext http, AccountService accounts, CancellationToken ct) =>
            TypedResults.Ok(await accounts.NewRecoveryCodesAsync((await AppAsync(http, tenant, ct)).Tenant.Id, userId, RequestActor.Of(http), ClientInfo.From(http), ct)));

        // By the user (bearer token).
        var me = tenant.MapGroup("/me").WithMetadata(RateLimitClass.Api).WithTags("Credentials (user token)");
        me.MapGet("/credentials", async Task<Ok<CredentialList>> (string tenant, HttpContext http, AccountService accounts, CancellationToken ct) =>
        {
            var (t, user) = await MeAsync(http, tenant, ct);
            return TypedResults.Ok(await accounts.ListAsync(t, user, ct));
        });
        me.MapPatch("/credentials/{credentialId}", async Task<Ok<CredentialView>> (string tenant, string credentialId, RenameRequest body, HttpContext http, AccountService accounts, CancellationToken ct) =>
        {
            var (t, user) = await MeAsync(http, tenant, ct);
            return TypedResults.Ok(await accounts.RenameAsync(t, user, credentialId, body.Name, RequestActor.Of(http), ClientInfo.From(http), ct));
        });
        me.MapDelete("/credentials/{credentialId}", async Task<NoContent> (string tenant, string credentialId, HttpContext http, AccountService accounts, CancellationToken ct) =>
        {
            var (t, user) = await MeAsync(http, tenant, ct);
            await accounts.DeleteAsync(t, user, credentialId, RequestActor.Of(http), ClientInfo.From(http), ct);
            return TypedResults.NoContent();
        });
        me.MapPost("/credentials/{credentialId}/default", async Task<Ok<CredentialView>> (string tenant, string credentialId, HttpContext http, AccountService accounts, CancellationToken ct) =>
        {
            var (t, user) = await MeAsync(http, tenant, ct);
            return TypedResults.Ok(await accounts.SetDefaultAsync(t, user, credentialId, RequestActor.Of(http), ClientInfo.From(http), ct));
        });
        me.MapPost("/credentials/{credentialId}/reinstate", async Task<Ok<CredentialView>> (string tenant, string credentialId, HttpContext http, AccountService accounts, CancellationToken ct) =>
        {
            var call = await http.CallAsync(tenant, ct);
            var (subject, user) = await http.RequestServices.GetRequiredService<Access>().RequireUserAsync(call.Tenant, call.Issuer, Presented.From(http), ct);
            RequestActor.Authenticated(http, AuditActor.User(user.Id));
            return TypedResults.Ok(await accounts.SetStatusAsync(call.Tenant.Id, user.Id, credentialId, Storage.CredentialStatus.Active, subject.CredentialId,
                RequestActor.Of(http), ClientInfo.From(http), ct));
        });
        me.MapPost("/recovery-codes", async Task<Ok<RecoveryCodesResponse>> (string tenant, HttpContext http, AccountService accounts, CancellationToken ct) =>
        {
            var (t, user) = await MeAsync(http, tenant, ct);
            return TypedResults.Ok(await accounts.NewRecoveryCodesAsync(t, user, RequestActor.Of(http), ClientInfo.From(http), ct));
        });

        tenant.MapPost("/recovery/redeem", async Task<Ok<RedeemResponse>> (string tenant, RedeemRequest body, HttpContext http, AccountService accounts, CancellationToken ct) =>
        {
            var call = await http.CallAsync(tenant, ct);
            return TypedResults.Ok(await accounts.RedeemAsync(call.Tenant.Id, body, ClientInfo.From(http), ct));
        }).WithMetadata(RateLimitClass.Recovery).WithTags("Recovery");

        tenant.MapGet("/jwks.json", async Task<Ok<JwkSet>> (string tenant, HttpContext http, SigningKeys keys, CancellationToken ct) =>
        {
            var call = await http.CallAsync(tenant, ct);
            var published = await keys.GetPublishedAsync(call.Tenant.Id, ct);
            if (published.Count == 0)
            {
                published = [await keys.GetActiveAsync(call.Tenant.Id, ct)];
            }
            return TypedResults.Ok(new JwkSet(published.Select(SigningKeys.ToJwk).ToList()));
        }).WithMetadata(RateLimitClass.Api).WithTags("Tokens");
        return tenant;
    }

    private static async Task<CallContext> AppAsync(HttpContext http, string tenantId, CancellationToken ct)
    {
        var call = await http.CallAsync(tenantId, ct);
        RequestActor.Authenticated(http, await http.RequestServices.GetRequiredService<Access>().RequireApiKeyAsync(call.Tenant, Presented.From(http), ct));
        return call;
    }

    private static async Task<(string Tenant, string User)> MeAsync(HttpContext http, string tenantId, CancellationToken ct)
    {
        var call = await http.CallAsync(tenantId, ct);
        var (_, user) = await http.RequestServices.GetRequiredService<Access>().RequireUserAsync(call.Tenant, call.Issuer, Presented.From(http), ct);
        RequestActor.Authenticated(http, AuditActor.User(user.Id));
        return (call.Tenant.Id, user.Id);
    }
}
