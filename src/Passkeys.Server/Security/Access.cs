using Passkeys.Server.Errors;
using Passkeys.Server.Storage;
using Passkeys.Server.Tokens;

namespace Passkeys.Server.Security;

/// <summary>What a request presented: an app API key and/or a bearer token.</summary>
public sealed record Presented(string? ApiKey, string? Bearer)
{
    /// <summary>Reads <c>X-Api-Key</c> and <c>Authorization: Bearer</c>.</summary>
    public static Presented From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var apiKey = context.Request.Headers["X-Api-Key"].ToString();
        var auth = context.Request.Headers.Authorization.ToString();
        var bearer = auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth[7..].Trim() : null;
        return new Presented(apiKey.Length == 0 ? null : apiKey, string.IsNullOrEmpty(bearer) ? null : bearer);
    }
}

/// <summary>Resolves tenants and checks API keys and user tokens; failures are 401/404 problems.</summary>
public sealed class Access(IPasskeyStore store, ApiKeys apiKeys, TokenService tokens, Tenants.TenantCache tenants)
{
    /// <summary>The tenant, or 404 TenantNotFound.</summary>
    public async Task<TenantRecord> TenantAsync(string tenantId, CancellationToken ct)
    {
        if (!Tenants.TenantRules.IsValidId(tenantId))
        {
            throw new ServerException(ServerError.TenantNotFound);
        }
        return await tenants.GetAsync(tenantId, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.TenantNotFound);
    }

    /// <summary>Requires a live API key of the tenant; returns it as the actor of the call (its id, never the key).</summary>
    public async Task<Observability.AuditActor> RequireApiKeyAsync(TenantRecord tenant, Presented presented, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(presented);
        var keyId = await apiKeys.VerifyAsync(tenant.Id, presented.ApiKey, ct).ConfigureAwait(false)
            ?? throw new ServerException(ServerError.Unauthorized, "A valid API key for this tenant is required.");
        return Observability.AuditActor.ApiKey(keyId);
    }

    /// <summary>
    /// Requires a valid access token of the tenant whose user still exists (a step-up token is
    /// <see cref="ServerError.StepUpTokenNotAccepted"/>). An expired token is
    /// <see cref="ServerError.TokenExpired"/> (the client refreshes and retries), anything else
    /// <see cref="ServerError.Unauthorized"/>.
    /// </summary>
    public async Task<(TokenSubject Subject, UserRecord User)> RequireUserAsync(TenantRecord tenant, string issuer, Presented presented, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(presented);
        var check = await tokens.CheckAsync(tenant.Id, issuer, presented.Bearer, ct).ConfigureAwait(false);
        var subject = check.Subject
            ?? throw new ServerException(check.Expired ? ServerError.TokenExpired : ServerError.Unauthorized);
        if (subject.IsStepUp)
        {
            // A step-up token is handed to the app as proof of one confirmed transaction; were it
            // also a sign-in, whoever sees it (the app's logs, a payment backend) could act as the user.
            throw new ServerException(ServerError.StepUpTokenNotAccepted,
                "A step-up token confirms one transaction and cannot be used here; send the access token of the user's session.");
        }
        var user = await store.GetUserAsync(tenant.Id, subject.UserId, ct).ConfigureAwait(false)
            ?? throw new ServerException(ServerError.Unauthorized);
        return (subject, user);
    }
}
