using Microsoft.AspNetCore.Http.HttpResults;
using Passkeys.Server.Ceremonies;
using Passkeys.Server.Security;

namespace Passkeys.Server.Endpoints;

/// <summary>Registration, authentication and step-up begin/finish.</summary>
public static class CeremonyEndpoints
{
    /// <summary>Maps the ceremony endpoints under <c>/v1/tenants/{tenant}</c>.</summary>
    public static RouteGroupBuilder MapCeremonyEndpoints(this RouteGroupBuilder tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var g = tenant.MapGroup("").WithMetadata(RateLimitClass.Ceremony).WithTags("Ceremonies");

        g.MapPost("/registration/begin", async Task<Ok<BeginResponse>> (string tenant, RegistrationBeginRequest? body, HttpContext http, CeremonyService ceremonies, CancellationToken ct) =>
            TypedResults.Ok(await ceremonies.BeginRegistrationAsync(await http.CallAsync(tenant, ct), Presented.From(http), body ?? new(), ct)))
            .WithSummary("Begin registration (API key, user token, recovery grant, or self sign-up)");

        g.MapPost("/registration/finish", async Task<Ok<RegistrationFinishResponse>> (string tenant, FinishRequest body, HttpContext http, CeremonyService ceremonies, CancellationToken ct) =>
            TypedResults.Ok(await ceremonies.FinishRegistrationAsync(await http.CallAsync(tenant, ct), body, ct)))
            .WithSummary("Finish registration: stores the credential and returns a token");

        g.MapPost("/authentication/begin", async Task<Ok<BeginResponse>> (string tenant, AuthenticationBeginRequest? body, HttpContext http, CeremonyService ceremonies, CancellationToken ct) =>
            TypedResults.Ok(await ceremonies.BeginAuthenticationAsync(await http.CallAsync(tenant, ct), body ?? new(), ct)))
            .WithSummary("Begin authentication (discoverable, or by username)");

        g.MapPost("/authentication/finish", async Task<Ok<AuthenticationFinishResponse>> (string tenant, FinishRequest body, HttpContext http, CeremonyService ceremonies, CancellationToken ct) =>
            TypedResults.Ok(await ceremonies.FinishAuthenticationAsync(await http.CallAsync(tenant, ct), body, ct)))
            .WithSummary("Finish authentication: returns the user and a token");

        g.MapPost("/step-up/begin", async Task<Ok<StepUpBeginResponse>> (string tenant, StepUpBeginRequest body, HttpContext http, CeremonyService ceremonies, CancellationToken ct) =>
            TypedResults.Ok(await ceremonies.BeginStepUpAsync(await http.CallAsync(tenant, ct), Presented.From(http), body, ct)))
            .WithSummary("Begin a transaction confirmation (API key or user token)");

        g.MapPost("/step-up/finish", async Task<Ok<StepUpFinishResponse>> (string tenant, FinishRequest body, HttpContext http, CeremonyService ceremonies, CancellationToken ct) =>
            TypedResults.Ok(await ceremonies.FinishStepUpAsync(await http.CallAsync(tenant, ct), body, ct)))
            .WithSummary("Finish a transaction confirmation: the token carries the transaction hash");
        return g;
    }
}
