using Microsoft.AspNetCore.Http.HttpResults;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Endpoints;

/// <summary>How many recovery codes are left (read-only), by the user's own token or the app's API key.</summary>
/// <remarks>
/// Codes are shown once, so after a reload a page could not tell whether its user has any left.
/// This answers with the count of unused codes and when the set was made; never the codes or
/// their hashes.
/// </remarks>
public static class RecoveryCodeStatusEndpoints
{
    /// <summary>Maps <c>GET …/me/recovery-codes</c> and <c>GET …/users/{userId}/recovery-codes</c> under <c>/v1/tenants/{tenant}</c>.</summary>
    public static RouteGroupBuilder MapRecoveryCodeStatusEndpoints(this RouteGroupBuilder tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        tenant.MapGet("/me/recovery-codes", async Task<Ok<RecoveryCodeStatus>> (string tenant, HttpContext http, Access access, IPasskeyStore store, CancellationToken ct) =>
        {
            var call = await http.CallAsync(tenant, ct);
            var (_, user) = await access.RequireUserAsync(call.Tenant, call.Issuer, Presented.From(http), ct);
            return TypedResults.Ok(await StatusAsync(store, call.Tenant.Id, user.Id, ct));
        }).WithMetadata(RateLimitClass.Api).WithTags("Credentials (user token)");

        tenant.MapGet("/users/{userId}/recovery-codes", async Task<Ok<RecoveryCodeStatus>> (string tenant, string userId, HttpContext http, Access access, IPasskeyStore store, CancellationToken ct) =>
        {
            var call = await http.CallAsync(tenant, ct);
            await access.RequireApiKeyAsync(call.Tenant, Presented.From(http), ct);
            if (await store.GetUserAsync(call.Tenant.Id, userId, ct) is null)
            {
                throw new Errors.ServerException(Errors.ServerError.UserNotFound);
            }
            return TypedResults.Ok(await StatusAsync(store, call.Tenant.Id, userId, ct));
        }).WithMetadata(RateLimitClass.Api).WithTags("Credentials (API key)");
        return tenant;
    }

    private static async Task<RecoveryCodeStatus> StatusAsync(IPasskeyStore store, string tenantId, string userId, CancellationToken ct)
    {
        var unused = await store.ListUnusedRecoveryCodesAsync(tenantId, userId, ct).ConfigureAwait(false);
        // A set is made at once; its creation time tells the user how old their printout is.
        return new RecoveryCodeStatus(unused.Count, unused.Count == 0 ? null : unused.Max(c => c.CreatedAt));
    }
}

/// <summary>Unused recovery codes: how many, and when the set was made (null when none are left).</summary>
public sealed record RecoveryCodeStatus(int Remaining, DateTimeOffset? GeneratedAt);
