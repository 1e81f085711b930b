using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Passkeys.Browser.Tests.Infrastructure;

/// <summary>
/// A stand-in for Passkeys.Server's browser-facing API (docs/api.md) used only until the server's
/// ceremony endpoints land: the same routes and JSON shapes, in memory, with no signature or
/// attestation verification (it checks the challenge and type in clientDataJSON, nothing more).
/// It lets the demo pages be tested end to end in Chromium now; the real server replaces it.
/// </summary>
internal sealed class StandInApi
{
    private sealed record User(string Id, string Name, string DisplayName, string Handle);

    private sealed class Credential
    {
        public required string Id { get; init; }
        public required string UserName { get; init; }
        public string? Name { get; set; }
        public required DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? LastUsedAt { get; set; }
        public required string[] Transports { get; init; }
        public bool IsDefault { get; set; }
    }

    private sealed record Ceremony(string Kind, string Challenge, string? UserName, string? Transaction);

    private readonly ConcurrentDictionary<string, User> _users = new();
    private readonly ConcurrentDictionary<string, Credential> _credentials = new();
    private readonly ConcurrentDictionary<string, Ceremony> _ceremonies = new();
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private readonly ConcurrentDictionary<string, HashSet<string>> _recoveryCodes = new();
    private readonly ConcurrentDictionary<string, string> _grants = new();
    private readonly Lock _lock = new();

    private static string Random(int bytes) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }

    private static IResult Problem(int status, int code, string error, string detail) =>
        Results.Json(new { type = $"https://passkeys.invalid/errors/{error}", title = error, status, detail, code, error },
            statusCode: status, contentType: "application/problem+json");

    private static async Task<JsonObject> Body(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private User? UserFromToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal)
            && _tokens.TryGetValue(header["Bearer ".Length..], out var name) && _users.TryGetValue(name, out var user) ? user : null;
    }

    private static object UserJson(User u) => new { id = u.Id, name = u.Name, displayName = u.DisplayName };

    private static object CredentialJson(Credential c) => new
    {
        id = c.Id, name = c.Name, authenticatorName = (string?)null, aaguid = "01020304-0506-0708-0102-030405060708",
        createdAt = c.CreatedAt, lastUsedAt = c.LastUsedAt, synced = false, backupEligible = false,
        transports = c.Transports, isDefault = c.IsDefault, attestationFormat = "none", attestationTrusted = false,
    };

    private static bool ClientDataMatches(JsonObject response, string type, string challenge)
    {
        try
        {
            var clientData = JsonNode.Parse(FromBase64Url(response["response"]!["clientDataJSON"]!.GetValue<string>()))!;
            return clientData["type"]!.GetValue<string>() == type && clientData["challenge"]!.GetValue<string>() == challenge;
        }
        catch (Exception e) when (e is JsonException or FormatException or NullReferenceException or InvalidOperationException)
        {
            return false;
        }
    }

    private Ceremony? Consume(JsonObject body, string kind) =>
        body["ceremonyId"]?.GetValue<string>() is { } id && _ceremonies.TryRemove(id, out var c) && c.Kind == kind ? c : null;

    private object[] UserCredentials(string userName) =>
        [.. _credentials.Values.Where(c => c.UserName == userName).OrderBy(c => c.CreatedAt).Select(CredentialJson)];

    public void Map(IEndpointRouteBuilder app)
    {
        var t = app.MapGroup("/v1/tenants/default");

        t.MapPost("/registration/begin", async (HttpRequest request) =>
        {
            var body = await Body(request);
            User? user = UserFromToken(request);
            if (user is null && body["recoveryGrant"]?.GetValue<string>() is { } grant)
            {
                if (!_grants.TryRemove(grant, out var grantUser)) return Problem(401, 1006, "Unauthorized", "This recovery has expired. Please start again.");
                user = _users[grantUser];
            }
            if (user is null)
            {
                var name = body["user"]?["name"]?.GetValue<string>();
                if (string.IsNullOrWhiteSpace(name)) return Problem(400, 1000, "MalformedRequest", "Choose a username.");
                var candidate = new User(Guid.NewGuid().ToString(), name, body["user"]?["displayName"]?.GetValue<string>() ?? name, Random(32));
                if (!_users.TryAdd(name, candidate)) return Problem(409, 1012, "UsernameTaken", "That username is taken.");
                user = candidate;
            }
            var challenge = Random(32);
            var ceremonyId = Random(16);
            _ceremonies[ceremonyId] = new Ceremony("registration", challenge, user.Name, null);
            var selection = new JsonObject { ["residentKey"] = "required", ["userVerification"] = "preferred" };
            if (body["authenticatorAttachment"]?.GetValue<string>() is { } attachment) selection["authenticatorAttachment"] = attachment;
            var exclude = new JsonArray([.. _credentials.Values.Where(c => c.UserName == user.Name)
                .Select(c => (JsonNode)new JsonObject { ["type"] = "public-key", ["id"] = c.Id })]);
            var options = new JsonObject
            {
                ["rp"] = new JsonObject { ["id"] = "localhost", ["name"] = "Passkeys demo" },
                ["user"] = new JsonObject { ["id"] = user.Handle, ["name"] = user.Name, ["displayName"] = user.DisplayName },
                ["challenge"] = challenge,
                ["pubKeyCredParams"] = new JsonArray(new JsonObject { ["type"] = "public-key", ["alg"] = -7 }, new JsonObject { ["type"] = "public-key", ["alg"] = -257 }),
                ["timeout"] = 60000,
                ["excludeCredentials"] = exclude,
                ["authenticatorSelection"] = selection,
                ["attestation"] = "none",
            };
            return Results.Json(new { ceremonyId, options });
        });

        t.MapPost("/registration/finish", async (HttpRequest request) =>
        {
            var body = await Body(request);
            if (Consume(body, "registration") is not { } c) return Problem(400, 1009, "CeremonyNotFound", "This request has expired or was already used. Please start again.");
            var response = body["response"] as JsonObject;
            if (response is null || !ClientDataMatches(response, "webauthn.create", c.Challenge)) return Problem(400, 202, "ChallengeMismatch", "The browser answered a different request than the one we made. Please start again.");
            var id = response["id"]!.GetValue<string>();
            var transports = response["response"]?["transports"]?.AsArray().Select(x => x!.GetValue<string>()).ToArray() ?? [];
            var credential = new Credential
            {
                Id = id, UserName = c.UserName!, Name = body["name"]?.GetValue<string>(), CreatedAt = DateTimeOffset.UtcNow, Transports = transports,
                IsDefault = !_credentials.Values.Any(x => x.UserName == c.UserName),
            };
            if (!_credentials.TryAdd(id, credential)) return Problem(409, 213, "CredentialAlreadyRegistered", "This passkey is already registered. You can sign in with it.");
            var user = _users[c.UserName!];
            var token = Random(24);
            _tokens[token] = user.Name;
            return Results.Json(new { user = UserJson(user), credential = CredentialJson(credential), token, tokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5) });
        });

        t.MapPost("/authentication/begin", async (HttpRequest request) =>
        {
            var (ceremonyId, options) = BeginGet(await Body(request), "authentication", null, null);
            return Results.Json(new { ceremonyId, options });
        });

        t.MapPost("/authentication/finish", async (HttpRequest request) => await FinishGet(await Body(request), "authentication"));

        t.MapPost("/step-up/begin", async (HttpRequest request) =>
        {
            if (UserFromToken(request) is not { } user) return Problem(401, 1006, "Unauthorized", "Your session has ended. Sign in again.");
            var body = await Body(request);
            var transaction = body["transaction"]?.GetValue<string>() ?? "";
            var begin = BeginGet(new JsonObject { ["username"] = user.Name }, "step-up", user.Name, transaction);
            return Results.Json(new { begin.ceremonyId, transactionHash = Base64Url(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(transaction))), begin.options });
        });

        t.MapPost("/step-up/finish", async (HttpRequest request) => await FinishGet(await Body(request), "step-up"));

        t.MapGet("/me/credentials", (HttpRequest request) =>
            UserFromToken(request) is { } user ? Results.Json(new { credentials = UserCredentials(user.Name) }) : Problem(401, 1006, "Unauthorized", "Your session has ended. Sign in again."));

        t.MapMethods("/me/credentials/{id}", ["PATCH"], async (HttpRequest request, string id) =>
        {
            if (UserFromToken(request) is not { } user) return Problem(401, 1006, "Unauthorized", "Your session has ended. Sign in again.");
            if (!_credentials.TryGetValue(id, out var c) || c.UserName != user.Name) return Problem(404, 1011, "CredentialNotFound", "We couldn't find that passkey.");
            c.Name = (await Body(request))["name"]?.GetValue<string>();
            return Results.Json(CredentialJson(c));
        });

        t.MapDelete("/me/credentials/{id}", (HttpRequest request, string id) =>
        {
            if (UserFromToken(request) is not { } user) return Problem(401, 1006, "Unauthorized", "Your session has ended. Sign in again.");
            if (!_credentials.TryGetValue(id, out var c) || c.UserName != user.Name) return Problem(404, 1011, "CredentialNotFound", "We couldn't find that passkey.");
            _credentials.TryRemove(id, out _);
            return Results.NoContent();
        });

        t.MapPost("/me/credentials/{id}/default", (HttpRequest request, string id) =>
        {
            if (UserFromToken(request) is not { } user) return Problem(401, 1006, "Unauthorized", "Your session has ended. Sign in again.");
            if (!_credentials.TryGetValue(id, out var c) || c.UserName != user.Name) return Problem(404, 1011, "CredentialNotFound", "We couldn't find that passkey.");
            lock (_lock)
            {
                foreach (var other in _credentials.Values.Where(x => x.UserName == user.Name)) other.IsDefault = other.Id == id;
            }
            return Results.Json(CredentialJson(c));
        });

        t.MapPost("/me/recovery-codes", (HttpRequest request) =>
        {
            if (UserFromToken(request) is not { } user) return Problem(401, 1006, "Unauthorized", "Your session has ended. Sign in again.");
            var codes = Enumerable.Range(0, 10).Select(_ => string.Join('-', Enumerable.Range(0, 7).Select(_ => RandomNumberGenerator.GetString("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 4)))).ToArray();
            _recoveryCodes[user.Name] = [.. codes];
            return Results.Json(new { codes });
        });

        t.MapPost("/recovery/redeem", async (HttpRequest request) =>
        {
            var body = await Body(request);
            var name = body["username"]?.GetValue<string>() ?? "";
            var code = (body["code"]?.GetValue<string>() ?? "").ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal);
            lock (_lock)
            {
                if (!_recoveryCodes.TryGetValue(name, out var codes) || !codes.Remove(code))
                {
                    return Problem(400, 1013, "RecoveryCodeInvalid", "That recovery code didn't work.");
                }
            }
            var grant = Random(24);
            _grants[grant] = name;
            return Results.Json(new { recoveryGrant = grant, expiresAt = DateTimeOffset.UtcNow.AddMinutes(10) });
        });
    }

    private (string ceremonyId, JsonObject options) BeginGet(JsonObject body, string kind, string? userName, string? transaction)
    {
        var challenge = Random(32);
        var ceremonyId = Random(16);
        var name = body["username"]?.GetValue<string>();
        _ceremonies[ceremonyId] = new Ceremony(kind, challenge, userName ?? name, transaction);
        var options = new JsonObject { ["challenge"] = challenge, ["rpId"] = "localhost", ["timeout"] = 60000, ["userVerification"] = kind == "step-up" ? "required" : "preferred" };
        if (name is not null)
        {
            options["allowCredentials"] = new JsonArray([.. _credentials.Values.Where(c => c.UserName == name).OrderByDescending(c => c.IsDefault)
                .Select(c => (JsonNode)new JsonObject { ["type"] = "public-key", ["id"] = c.Id })]);
        }
        return (ceremonyId, options);
    }

    private async Task<IResult> FinishGet(JsonObject body, string kind)
    {
        await Task.Yield();
        if (Consume(body, kind) is not { } c) return Problem(400, 1009, "CeremonyNotFound", "This request has expired or was already used. Please start again.");
        var response = body["response"] as JsonObject;
        if (response is null || !ClientDataMatches(response, "webauthn.get", c.Challenge)) return Problem(400, 202, "ChallengeMismatch", "The browser answered a different request than the one we made. Please start again.");
        var id = response["id"]!.GetValue<string>();
        if (!_credentials.TryGetValue(id, out var credential) || (c.UserName is not null && kind == "step-up" && credential.UserName != c.UserName))
        {
            return Problem(400, 215, "CredentialNotFound", "We couldn't recognize this passkey. Try another passkey, or use a recovery code.");
        }
        credential.LastUsedAt = DateTimeOffset.UtcNow;
        var user = _users[credential.UserName];
        var token = Random(24);
        _tokens[token] = user.Name;
        return kind == "step-up"
            ? Results.Json(new { user = UserJson(user), credentialId = id, userVerified = true, transactionHash = Base64Url(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(c.Transaction!))), token, tokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5) })
            : Results.Json(new { user = UserJson(user), credentialId = id, userVerified = true, token, tokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5) });
    }
}
