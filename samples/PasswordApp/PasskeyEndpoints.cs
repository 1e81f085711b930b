using System.Security.Claims;
using System.Text.Json.Nodes;

namespace PasswordApp;

/// <summary>
/// The signed-in user's passkeys, through the passkey server with this app's API key: begin and
/// finish a registration (the browser runs only navigator.credentials.create via the SDK), list,
/// rename and delete.
/// </summary>
public static class PasskeyEndpoints
{
    public sealed record BeginBody(string? Mediation);

    public sealed record RenameBody(string? Name);

    public static void Map(WebApplication app)
    {
        var passkeys = app.MapGroup("/api/passkeys").RequireAuthorization().AddEndpointFilter(AccountEndpoints.RequireFetchHeader);

        passkeys.MapPost("/begin", async (BeginBody? body, ClaimsPrincipal principal, UserStore users, PasskeysServerClient server) =>
        {
            if (AccountEndpoints.CurrentUser(principal, users) is not { } user)
            {
                return AccountEndpoints.Problem(401, "Sign in first.");
            }
            // "conditional": the quiet upgrade right after a password sign-in; anything else is the modal prompt.
            var mediation = body?.Mediation switch
            {
                null or "modal" => "required",
                "conditional" => "conditional",
                _ => null,
            };
            if (mediation is null)
            {
                return AccountEndpoints.Problem(400, "mediation must be \"modal\" or \"conditional\".");
            }
            var begun = await server.BeginRegistrationAsync(user, mediation);
            return begun.Ok ? Results.Json(begun.Body) : begun.ToProblem();
        });

        passkeys.MapPost("/finish", async (JsonObject body, ClaimsPrincipal principal, UserStore users, PasskeysServerClient server, HttpContext http) =>
        {
            if (AccountEndpoints.CurrentUser(principal, users) is not { } user)
            {
                return AccountEndpoints.Problem(401, "Sign in first.");
            }
            if (body["ceremonyId"] is not JsonValue || body["response"] is not JsonObject)
            {
                return AccountEndpoints.Problem(400, "Send the ceremonyId and the browser's response.");
            }
            var finished = await server.FinishRegistrationAsync(new JsonObject
            {
                ["ceremonyId"] = body["ceremonyId"]!.DeepClone(),
                ["response"] = body["response"]!.DeepClone(),
                ["name"] = body["name"]?.DeepClone(),
            });
            if (!finished.Ok)
            {
                return finished.ToProblem();
            }
            // The ceremony was begun for this user by this backend; a passkey of anyone else is not ours to keep.
            if (finished.Body?["user"]?["id"]?.GetValue<string>() != user.Id)
            {
                return AccountEndpoints.Problem(409, "That registration belongs to another account.");
            }
            // A registration with the API key opens a passkey server session too; the user has the app's.
            if (finished.Body?["sessionId"]?.GetValue<string>() is { } sessionId)
            {
                await AccountEndpoints.EndServerSessionAsync(http, server, user.Id, sessionId);
            }
            // The offer is taken: do not make it again in this session.
            await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.SignInAsync(
                http, PasswordAppHost.CookieScheme, AccountEndpoints.Principal(user, offer: null));
            return Results.Json(new { credential = finished.Body?["credential"]?.DeepClone() });
        });

        passkeys.MapGet("/", async (ClaimsPrincipal principal, UserStore users, PasskeysServerClient server) =>
        {
            if (AccountEndpoints.CurrentUser(principal, users) is not { } user)
            {
                return AccountEndpoints.Problem(401, "Sign in first.");
            }
            var listed = await server.ListCredentialsAsync(user.Id);
            // The server learns of a user with their first passkey: before that, the list is empty.
            if (listed.IsUnknownUser)
            {
                return Results.Json(new { credentials = Array.Empty<object>() });
            }
            return listed.Ok ? Results.Json(listed.Body) : listed.ToProblem();
        });

        passkeys.MapPatch("/{credentialId}", async (string credentialId, RenameBody body, ClaimsPrincipal principal, UserStore users, PasskeysServerClient server) =>
        {
            if (AccountEndpoints.CurrentUser(principal, users) is not { } user)
            {
                return AccountEndpoints.Problem(401, "Sign in first.");
            }
            var renamed = await server.RenameCredentialAsync(user.Id, credentialId, string.IsNullOrWhiteSpace(body.Name) ? null : body.Name.Trim());
            return renamed.Ok ? Results.Json(renamed.Body) : renamed.ToProblem();
        });

        passkeys.MapDelete("/{credentialId}", async (string credentialId, ClaimsPrincipal principal, UserStore users, PasskeysServerClient server) =>
        {
            if (AccountEndpoints.CurrentUser(principal, users) is not { } user)
            {
                return AccountEndpoints.Problem(401, "Sign in first.");
            }
            var deleted = await server.DeleteCredentialAsync(user.Id, credentialId);
            return deleted.Ok ? Results.NoContent() : deleted.ToProblem();
        });
    }
}
