using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace PasswordApp;

/// <summary>
/// This backend's calls to the passkey server, each with the tenant's API key. The browser never
/// sees the key: it only runs the WebAuthn calls and hands their results to this app.
/// </summary>
public sealed class PasskeysServerClient(HttpClient http, IOptions<PasswordAppOptions> options)
{
    private readonly PasswordAppOptions _options = options.Value;

    /// <summary>Reports a password sign-in, so the server's adoption figures count it.</summary>
    public Task<ServerAnswer> ReportSignInAsync(string userId, string method) =>
        SendAsync(HttpMethod.Post, "/sign-ins", new JsonObject { ["userId"] = userId, ["method"] = method });

    /// <summary>Asks whether to offer this user a passkey now, and how (the tenant's rollout).</summary>
    public Task<ServerAnswer> PasskeyOfferAsync(string userId) =>
        SendAsync(HttpMethod.Get, $"/users/{Uri.EscapeDataString(userId)}/passkey-offer", null);

    /// <summary>Begins a registration for the app's user (created on the server with its first passkey).</summary>
    public Task<ServerAnswer> BeginRegistrationAsync(AppUser user, string mediation) =>
        SendAsync(HttpMethod.Post, "/registration/begin", new JsonObject
        {
            ["user"] = new JsonObject { ["id"] = user.Id, ["name"] = user.Name, ["displayName"] = user.DisplayName },
            ["mediation"] = mediation,
        });

    public Task<ServerAnswer> FinishRegistrationAsync(JsonObject body) =>
        SendAsync(HttpMethod.Post, "/registration/finish", body);

    public Task<ServerAnswer> ListCredentialsAsync(string userId) =>
        SendAsync(HttpMethod.Get, $"/users/{Uri.EscapeDataString(userId)}/credentials", null);

    public Task<ServerAnswer> RenameCredentialAsync(string userId, string credentialId, string? name) =>
        SendAsync(HttpMethod.Patch, $"/users/{Uri.EscapeDataString(userId)}/credentials/{Uri.EscapeDataString(credentialId)}", new JsonObject { ["name"] = name });

    public Task<ServerAnswer> DeleteCredentialAsync(string userId, string credentialId) =>
        SendAsync(HttpMethod.Delete, $"/users/{Uri.EscapeDataString(userId)}/credentials/{Uri.EscapeDataString(credentialId)}", null);

    /// <summary>How many of the user's recovery codes are unused (404 while the server does not know the user).</summary>
    public Task<ServerAnswer> RecoveryCodeStatusAsync(string userId) =>
        SendAsync(HttpMethod.Get, $"/users/{Uri.EscapeDataString(userId)}/recovery-codes", null);

    /// <summary>A new set of recovery codes, replacing the old one; the codes are in this answer only.</summary>
    public Task<ServerAnswer> NewRecoveryCodesAsync(string userId) =>
        SendAsync(HttpMethod.Post, $"/users/{Uri.EscapeDataString(userId)}/recovery-codes", new JsonObject());

    /// <summary>Ends a session the passkey server opened for a ceremony (this app keeps its own cookie session instead).</summary>
    public Task<ServerAnswer> EndSessionAsync(string userId, string sessionId) =>
        SendAsync(HttpMethod.Delete, $"/users/{Uri.EscapeDataString(userId)}/sessions/{Uri.EscapeDataString(sessionId)}", null);

    private async Task<ServerAnswer> SendAsync(HttpMethod method, string path, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, _options.TenantRoot + path);
        request.Headers.Add("X-Api-Key", _options.ApiKey);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        try
        {
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var json = text.Length == 0 ? null : JsonNode.Parse(text);
            // Retry-After (seconds) on a 429, so the app can say when to try again.
            return new ServerAnswer((int)response.StatusCode, json, response.Headers.RetryAfter?.Delta);
        }
        catch (HttpRequestException e)
        {
            // The server is down or unreachable: say so, as a problem of our own, never a 500.
            return ServerAnswer.Unreachable(e.Message);
        }
    }
}

/// <summary>The server's status and JSON body (a problem document when it refused).</summary>
public sealed record ServerAnswer(int Status, JsonNode? Body, TimeSpan? RetryAfter = null)
{
    /// <summary>The server's stable error number (<c>code</c> of its problem document), if it refused with one.</summary>
    public int? ErrorCode => Body?["code"] is JsonValue value && value.TryGetValue<int>(out var code) ? code : null;

    /// <summary>
    /// 404 UserNotFound (1010): the server learns of a user with their first passkey. Not any 404: an
    /// unknown tenant (1008, a wrong <c>PasswordApp:Tenant</c>) must show as the error it is, not as "no passkeys".
    /// </summary>
    public bool IsUnknownUser => Status == 404 && ErrorCode == 1010;

    public bool Ok => Status is >= 200 and < 300;

    public static ServerAnswer Unreachable(string why) => new(502, new JsonObject
    {
        ["title"] = "The passkey server cannot be reached",
        ["status"] = 502,
        ["detail"] = why,
    });

    /// <summary>The server's refusal passed on to the browser as it came (status, code, message).</summary>
    public IResult ToProblem() => Results.Json(Body, statusCode: Status, contentType: "application/problem+json");
}
