using System.Security.Claims;

namespace PasswordApp;

/// <summary>
/// The signed-in user's recovery codes, kept by the passkey server and reached with this app's API
/// key: how many are left, and a new set (shown once). Redeeming a code is not here: the browser
/// does it at the passkey server itself (site/js/recover.js), so the server's per-address limit
/// counts the person trying codes, not this backend's one address for everyone.
/// </summary>
public static class RecoveryCodeEndpoints
{
    public static void Map(WebApplication app)
    {
        var codes = app.MapGroup("/api/recovery-codes").RequireAuthorization().AddEndpointFilter(AccountEndpoints.RequireFetchHeader);

        codes.MapGet("/", async (ClaimsPrincipal principal, UserStore users, PasskeysServerClient server) =>
        {
            if (AccountEndpoints.CurrentUser(principal, users) is not { } user)
            {
                return AccountEndpoints.Problem(401, "Sign in first.");
            }
            var status = await server.RecoveryCodeStatusAsync(user.Id);
            // The server learns of a user with their first passkey: before that there are no codes.
            if (status.IsUnknownUser)
            {
                return Results.Json(new { remaining = 0, generatedAt = (string?)null });
            }
            return status.Ok ? Results.Json(status.Body) : status.ToProblem();
        });

        codes.MapPost("/", async (ClaimsPrincipal principal, UserStore users, PasskeysServerClient server) =>
        {
            if (AccountEndpoints.CurrentUser(principal, users) is not { } user)
            {
                return AccountEndpoints.Problem(401, "Sign in first.");
            }
            var made = await server.NewRecoveryCodesAsync(user.Id);
            // Codes bring back a lost passkey; without a passkey, the password is the way in.
            if (made.IsUnknownUser)
            {
                return AccountEndpoints.Problem(409, "Create a passkey first: recovery codes are for when you lose your passkeys.");
            }
            // 1033 RecoveryCodesTooFrequent: say when, and that nothing was lost.
            if (made.ErrorCode == 1033)
            {
                return AccountEndpoints.Problem(429,
                    $"You made new recovery codes too often. Try again {InWords(made.RetryAfter)}; your current codes still work.");
            }
            return made.Ok ? Results.Json(made.Body) : made.ToProblem();
        });
    }

    /// <summary>"in 12 minutes", "in 1 minute", "in 40 seconds" or "later" (no Retry-After).</summary>
    public static string InWords(TimeSpan? wait) => wait switch
    {
        null => "later",
        { TotalSeconds: <= 1 } => "in 1 second",
        { TotalSeconds: < 60 } w => $"in {(int)Math.Ceiling(w.TotalSeconds)} seconds",
        { } w when Math.Ceiling(w.TotalMinutes) == 1 => "in 1 minute",
        { } w => $"in {(int)Math.Ceiling(w.TotalMinutes)} minutes",
    };
}
