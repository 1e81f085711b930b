using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Passkeys.Ceremonies;
using Passkeys.Protocol;

namespace Passkeys.Benchmarks.Ceiling;

/// <summary>
/// `serve-ceiling --urls URL`: the least an HTTP passkey service can do, as the ceiling the real
/// server is measured against. The same four endpoints and JSON shapes the load engine uses
/// (registration and authentication begin/finish for any tenant), the same library
/// (<see cref="RelyingParty"/>) and the same token library (ES256 JWT via JsonWebTokenHandler), a
/// random refresh token as the server's; but everything in memory (ceremony states as objects,
/// no serialization), no audit, no rate limits, no CORS, no tenants table.
/// </summary>
internal static class CeilingApp
{
    private sealed record Ceremony(object State, string? UserId, string? Name, string? DisplayName, byte[]? Handle);

    private sealed record User(string Id, string Name, string DisplayName, byte[] Handle, List<byte[]> Credentials);

    private sealed record Stored(string UserId, CredentialRecord Record);

    public static int Run(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var party = new RelyingParty(new RelyingPartyOptions
        {
            RpId = "localhost",
            RpName = "Passkeys",
            Origins = ["http://localhost:5080"],
            UserVerification = UserVerificationRequirement.Preferred,
        }, TimeProvider.System);
        var ceremonies = new ConcurrentDictionary<string, Ceremony>(StringComparer.Ordinal);
        var users = new ConcurrentDictionary<string, User>(StringComparer.Ordinal);
        var byName = new ConcurrentDictionary<string, User>(StringComparer.Ordinal);
        var credentials = new ConcurrentDictionary<string, Stored>(StringComparer.Ordinal);
        var sessions = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var key = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "ceiling" };
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };

        (string Token, DateTimeOffset Expires, string Refresh) Tokens(string userId, byte[] credentialId, bool uv)
        {
            var now = DateTimeOffset.UtcNow;
            var expires = now.AddMinutes(5);
            var sessionId = Base64Url(RandomNumberGenerator.GetBytes(16));
            var token = handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = "http://ceiling/v1/tenants/default",
                Audience = "default",
                IssuedAt = now.UtcDateTime,
                NotBefore = now.UtcDateTime,
                Expires = expires.UtcDateTime,
                Claims = new Dictionary<string, object>
                {
                    ["sub"] = userId, ["cid"] = Base64Url(credentialId), ["auth_time"] = now.ToUnixTimeSeconds(), ["uv"] = uv,
                    ["amr"] = uv ? new[] { "hwk", "user" } : new[] { "hwk" }, ["jti"] = Base64Url(RandomNumberGenerator.GetBytes(16)), ["sid"] = sessionId,
                },
                SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
            });
            var refresh = "pkr_" + Base64Url(RandomNumberGenerator.GetBytes(32));
            sessions[Convert.ToHexString(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(refresh)))] = sessionId;
            return (token, expires, refresh);
        }

        static string Begin(string id, string optionsJson) => $$"""{"ceremonyId":"{{id}}","options":{{optionsJson}}}""";

        static string UserJson(User u) =>
            JsonSerializer.Serialize(new { id = u.Id, name = u.Name, displayName = u.DisplayName });

        static string Finish(User u, byte[] credentialId, bool uv, (string Token, DateTimeOffset Expires, string Refresh) t) =>
            $$"""{"user":{{UserJson(u)}},"credentialId":"{{Base64Url(credentialId)}}","userVerified":{{(uv ? "true" : "false")}},"token":"{{t.Token}}","tokenExpiresAt":"{{t.Expires:O}}","refreshToken":"{{t.Refresh}}"}""";

        app.MapGet("/health", () => Results.Text("""{"status":"ok"}""", "application/json"));

        app.MapPost("/v1/tenants/{tenant}/registration/begin", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            var user = body.RootElement.GetProperty("user");
            var name = user.GetProperty("name").GetString()!;
            var displayName = user.TryGetProperty("displayName", out var d) ? d.GetString() ?? name : name;
            if (byName.ContainsKey(name))
            {
                return Results.Conflict();
            }
            var handle = RandomNumberGenerator.GetBytes(32);
            var ceremony = party.BeginRegistration(new RegistrationRequest { User = new UserIdentity(handle, name, displayName) });
            var id = Base64Url(RandomNumberGenerator.GetBytes(16));
            ceremonies[id] = new Ceremony(ceremony.State, Base64Url(RandomNumberGenerator.GetBytes(16)), name, displayName, handle);
            return Results.Text(Begin(id, ceremony.OptionsJson), "application/json");
        });

        app.MapPost("/v1/tenants/{tenant}/registration/finish", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            if (!ceremonies.TryRemove(body.RootElement.GetProperty("ceremonyId").GetString()!, out var c) || c.State is not RegistrationState state)
            {
                return Results.BadRequest();
            }
            try
            {
                var registered = party.FinishRegistration(body.RootElement.GetProperty("response").GetRawText(), state);
                var user = new User(c.UserId!, c.Name!, c.DisplayName!, c.Handle!, [registered.Credential.Id]);
                if (!byName.TryAdd(user.Name, user))
                {
                    return Results.Conflict();
                }
                users[user.Id] = user;
                credentials[Base64Url(registered.Credential.Id)] = new Stored(user.Id, registered.Credential);
                return Results.Text(Finish(user, registered.Credential.Id, registered.UserVerified, Tokens(user.Id, registered.Credential.Id, registered.UserVerified)),
                    "application/json");
            }
            catch (PasskeyException)
            {
                return Results.BadRequest();
            }
        });

        app.MapPost("/v1/tenants/{tenant}/authentication/begin", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            IReadOnlyList<CredentialDescriptor> allow = [];
            string? userId = null;
            if (body.RootElement.TryGetProperty("username", out var username) && byName.TryGetValue(username.GetString()!, out var user))
            {
                userId = user.Id;
                allow = user.Credentials.Select(id => new CredentialDescriptor(id, credentials[Base64Url(id)].Record.Transports)).ToList();
            }
            var ceremony = party.BeginAuthentication(new AuthenticationRequest { AllowCredentials = allow });
            var id = Base64Url(RandomNumberGenerator.GetBytes(16));
            ceremonies[id] = new Ceremony(ceremony.State, userId, null, null, null);
            return Results.Text(Begin(id, ceremony.OptionsJson), "application/json");
        });

        app.MapPost("/v1/tenants/{tenant}/authentication/finish", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            if (!ceremonies.TryRemove(body.RootElement.GetProperty("ceremonyId").GetString()!, out var c) || c.State is not AuthenticationState state)
            {
                return Results.BadRequest();
            }
            try
            {
                var json = body.RootElement.GetProperty("response").GetRawText();
                var parsed = AuthenticationResponse.Parse(json);
                if (!credentials.TryGetValue(Base64Url(parsed.CredentialId.ToArray()), out var stored) || (c.UserId is not null && c.UserId != stored.UserId))
                {
                    return Results.BadRequest();
                }
                var verified = party.FinishAuthentication(json, state, stored.Record);
                credentials[Base64Url(stored.Record.Id)] = stored with { Record = verified.UpdatedCredential };
                var user = users[stored.UserId];
                return Results.Text(Finish(user, stored.Record.Id, verified.UserVerified, Tokens(user.Id, stored.Record.Id, verified.UserVerified)), "application/json");
            }
            catch (PasskeyException)
            {
                return Results.BadRequest();
            }
        });

        app.Run();
        return 0;
    }

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
