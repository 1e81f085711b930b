using Microsoft.AspNetCore.Http.HttpResults;
using Passkeys.Server.Analytics;
using Passkeys.Server.Errors;
using Passkeys.Server.Security;

namespace Passkeys.Server.Endpoints;

/// <summary>
/// Analytics (docs/analytics.md): the SDK's client events, the app's reports of its other sign-ins
/// and its passkey-offer question under <c>/v1/tenants/{tenant}</c>, and the admin key's analytics
/// queries under <c>/v1/admin/tenants/{tenant}/analytics</c>.
/// </summary>
public static class AnalyticsEndpoints
{
    /// <summary>Client events are limited per address like other API calls, but not with the tenant's ceremony budget (a ceremony makes up to two).</summary>
    private static readonly RateLimitClass ClientEvent = new("client-event");

    /// <summary>Maps the tenant-facing endpoints.</summary>
    public static RouteGroupBuilder MapAnalyticsEndpoints(this RouteGroupBuilder tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var g = tenant.MapGroup("").WithTags("Analytics");

        g.MapPost("/ceremonies/{ceremonyId}/client-events", async Task<NoContent> (string tenant, string ceremonyId, HttpContext http, Access access,
            ClientEvents events, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            await events.RecordAsync(t.Id, ceremonyId, http.Request.Body, ct);
            return TypedResults.NoContent();
        })
            .WithMetadata(ClientEvent)
            .Accepts<ClientEventBody>("application/json")
            .WithSummary("SDK report for a ceremony: prompt shown, or the browser's outcome (unauthenticated; counted only)");

        g.MapPost("/sign-ins", async Task<Created<SignInReported>> (string tenant, SignInReport body, HttpContext http, Access access, SignInReports reports,
            CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            await access.RequireApiKeyAsync(t, Presented.From(http), ct);
            var reported = await reports.RecordAsync(t.Id, body, ct);
            return TypedResults.Created($"/v1/tenants/{t.Id}/sign-ins/{reported.Id}", reported);
        })
            .WithMetadata(RateLimitClass.Api)
            .WithSummary("Report a sign-in the app made with another method (API key)");

        g.MapGet("/users/{userId}/passkey-offer", async Task<Ok<PasskeyOffer>> (string tenant, string userId, HttpContext http, Access access,
            RolloutService rollout, CancellationToken ct) =>
        {
            var t = await access.TenantAsync(tenant, ct);
            await access.RequireApiKeyAsync(t, Presented.From(http), ct);
            return TypedResults.Ok(await rollout.OfferAsync(t, CheckUserId(userId), ct));
        })
            .WithMetadata(RateLimitClass.Api)
            .WithSummary("Should the app offer this user a passkey now, and are passkeys the default sign-in (API key)");
        return g;
    }

    /// <summary>Maps <c>/tenants/{tenant}/analytics/…</c> on the admin group (which checks the admin key).</summary>
    public static RouteGroupBuilder MapAdminAnalyticsEndpoints(this RouteGroupBuilder admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var g = admin.MapGroup("/tenants/{tenant}/analytics").WithTags("Analytics");

        g.MapGet("/overview", async Task<Ok<OverviewResponse>> (string tenant, string? from, string? to, Access access, AnalyticsService analytics,
            TimeProvider time, CancellationToken ct) =>
        {
            var window = Window(from, to, null, time);
            return TypedResults.Ok(await analytics.OverviewAsync((await access.TenantAsync(tenant, ct)).Id, window, ct));
        }).WithSummary("Sign-ins, sign-ups, success rate, median time to finish, adoption; and the same for the previous window");

        g.MapGet("/funnels", async Task<Ok<FunnelsResponse>> (string tenant, string? from, string? to, string? period, Access access, AnalyticsService analytics,
            TimeProvider time, CancellationToken ct) =>
        {
            var window = Window(from, to, period, time, bucketed: true);
            return TypedResults.Ok(await analytics.FunnelsAsync((await access.TenantAsync(tenant, ct)).Id, window, ct));
        }).WithSummary("Funnels per ceremony kind and mediation, per period");

        g.MapGet("/failures", async Task<Ok<FailuresResponse>> (string tenant, string? from, string? to, string? kind, Access access, AnalyticsService analytics,
            TimeProvider time, CancellationToken ct) =>
        {
            var window = Window(from, to, null, time);
            var k = Filter(kind, "kind", FunnelKinds.All);
            return TypedResults.Ok(await analytics.FailuresAsync((await access.TenantAsync(tenant, ct)).Id, window, k, ct));
        }).WithSummary("Failed attempts by reason, browser, OS, device type and provider; segments that stand out flagged");

        g.MapGet("/adoption", async Task<Ok<AdoptionResponse>> (string tenant, string? from, string? to, Access access, AnalyticsService analytics,
            TimeProvider time, CancellationToken ct) =>
        {
            var window = Window(from, to, null, time);
            return TypedResults.Ok(await analytics.AdoptionAsync((await access.TenantAsync(tenant, ct)).Id, window, ct));
        }).WithSummary("Adoption, sign-ins by method, passkeys per user, synced vs device-bound, upgrade-prompt conversion");

        g.MapGet("/ceremonies", async Task<Ok<CeremonyRowList>> (string tenant, string? from, string? to, string? kind, string? mediation, string? result,
            string? promptShown, string? attempt, string? failed, string? reason, string? browser, string? os, string? deviceType, string? provider,
            string? newUser, string? afterOffer, string? offset, string? limit, Access access, AnalyticsService analytics, TimeProvider time, CancellationToken ct) =>
        {
            var window = Window(from, to, null, time);
            var filter = new CeremonyFilter(Filter(kind, "kind", FunnelKinds.All), Filter(mediation, "mediation", Mediations.All),
                Filter(result, "result", FunnelResults.All), Flag(promptShown, "promptShown"), Flag(attempt, "attempt"), Flag(failed, "failed"),
                QueryParameters.Text(reason, "reason"), QueryParameters.Text(browser, "browser"), QueryParameters.Text(os, "os"),
                QueryParameters.Text(deviceType, "deviceType"), QueryParameters.Text(provider, "provider"), Flag(newUser, "newUser"), Flag(afterOffer, "afterOffer"));
            var skip = (int)(QueryParameters.Id(offset, "offset", "a row offset") ?? 0);
            return TypedResults.Ok(await analytics.CeremoniesAsync((await access.TenantAsync(tenant, ct)).Id, window, filter, skip,
                QueryParameters.Limit(limit), ct));
        }).WithSummary("The ceremonies behind a number (drill-down), paged");

        g.MapGet("/rollout", async Task<Ok<RolloutStatus>> (string tenant, Access access, RolloutService rollout, CancellationToken ct) =>
            TypedResults.Ok(await rollout.StatusAsync(await access.TenantAsync(tenant, ct), ct)))
            .WithSummary("The rollout settings, whether passkeys are the default sign-in (and since when), and the 30-day adoption the threshold is compared with");
        return g;
    }

    // Only the funnels are per period; the other answers take from and to alone (any span).
    private static AnalyticsWindow Window(string? from, string? to, string? period, TimeProvider time, bool bucketed = false) =>
        AnalyticsWindow.Of(QueryParameters.Time(from, "from"), QueryParameters.Time(to, "to"), period, time.GetUtcNow(), bucketed);

    private static string? Filter(string? value, string name, IReadOnlyList<string> allowed) =>
        value is null || allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new ServerException(ServerError.AnalyticsRangeInvalid, $"{name} must be one of: {string.Join(", ", allowed)}.");

    private static bool? Flag(string? value, string name) => value switch
    {
        null => null,
        "true" => true,
        "false" => false,
        _ => throw new ServerException(ServerError.AnalyticsRangeInvalid, $"{name} must be true or false."),
    };

    private static string CheckUserId(string userId) =>
        userId.Length is > 0 and <= 128 && !userId.Any(char.IsControl)
            ? userId
            : throw new ServerException(ServerError.ValidationFailed, "userId must be 1 to 128 characters without control characters.");
}

/// <summary>A client event body: <c>{"event":"prompt-shown"}</c> or <c>{"event":"outcome","outcome":"cancelled"}</c> (for the OpenAPI document).</summary>
public sealed record ClientEventBody(string Event, string? Outcome = null);
