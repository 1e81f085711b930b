using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Encoding;

namespace Passkeys.Cli.Authenticator;

/// <summary>
/// `passkeys authenticator register|sign-in`: runs a whole ceremony against a Passkeys server over
/// HTTP (docs/api.md): begin, the software client's create()/get(), finish; then prints the user,
/// the credential and the token's claims. Server problems print their code and message.
/// </summary>
internal static class ServerCeremonies
{
    public static Command CreateRegister(Func<ParseResult, AuthenticatorSettings> settings)
    {
        var server = ServerOption();
        var tenant = TenantOption();
        var username = new Option<string>("--username") { Description = "The account name to register", Required = true };
        var userId = new Option<string?>("--user-id") { Description = "With --api-key: the app's user id (default: the username)" };
        var origin = OriginOption();
        var apiKey = new Option<string?>("--api-key") { Description = "An API key (pkk_…) for tenants without self sign-up" };
        var attestation = new Option<string>("--attestation") { Description = "Attestation statement format", DefaultValueFactory = _ => "none" };
        attestation.AcceptOnlyFromAmong([.. AuthenticatorChoices.Attestations.Keys]);
        var compoundOf = AuthenticatorCommand.CompoundOfOption();
        var attestationAlg = AuthenticatorCommand.AttestationAlgorithmOption();
        var faults = AuthenticatorCommand.FaultOption();
        var command = new Command("register", "Register a passkey with a Passkeys server") { server, tenant, username, userId, origin, apiKey, attestation, compoundOf, attestationAlg, faults };
        command.SetAction(r => AuthenticatorCommand.Guard(Console.Error, () =>
            RunRegisterAsync(settings(r), ServerUri(r.GetValue(server)!), r.GetValue(tenant)!, r.GetValue(username)!, r.GetValue(origin),
                r.GetValue(apiKey), r.GetValue(userId), Console.Out, Console.Error, AuthenticatorChoices.Attestation(r.GetValue(attestation)!),
                RegisterBehaviour(r.GetValue(faults), r.GetValue(attestation)!, r.GetValue(compoundOf), r.GetValue(attestationAlg))).GetAwaiter().GetResult()));
        return command;
    }

    private static AuthenticatorBehaviour RegisterBehaviour(string[]? faults, string attestation, string[]? compoundOf, string? attestationAlg)
    {
        var compound = AuthenticatorChoices.Compound(compoundOf);
        return new AuthenticatorBehaviour(AuthenticatorChoices.FaultSet(faults), compound,
            AuthenticatorChoices.AttestationAlgorithm(attestationAlg, AuthenticatorChoices.Attestation(attestation), compound));
    }

    public static Command CreateSignIn(Func<ParseResult, AuthenticatorSettings> settings)
    {
        var server = ServerOption();
        var tenant = TenantOption();
        var username = new Option<string?>("--username") { Description = "Sign in as this user (default: usernameless, with a discoverable credential)" };
        var origin = OriginOption();
        var faults = AuthenticatorCommand.FaultOption();
        var command = new Command("sign-in", "Sign in to a Passkeys server with a stored passkey") { server, tenant, username, origin, faults };
        command.SetAction(r => AuthenticatorCommand.Guard(Console.Error, () =>
            RunSignInAsync(settings(r), ServerUri(r.GetValue(server)!), r.GetValue(tenant)!, r.GetValue(username), r.GetValue(origin),
                Console.Out, Console.Error, new AuthenticatorBehaviour(AuthenticatorChoices.FaultSet(r.GetValue(faults)), AttestationKinds.DefaultCompound)).GetAwaiter().GetResult()));
        return command;
    }

    /// <summary>Registers a passkey: registration/begin, create(), registration/finish.</summary>
    public static async Task<int> RunRegisterAsync(AuthenticatorSettings settings, Uri server, string tenant, string username, string? origin,
        string? apiKey, string? userId, TextWriter output, TextWriter error,
        AttestationKind attestation = AttestationKind.None, AuthenticatorBehaviour? behaviour = null)
    {
        using var http = new HttpClient { BaseAddress = server };
        var user = new JsonObject { ["name"] = username, ["displayName"] = username };
        if (apiKey is not null)
        {
            user["id"] = userId ?? username;
        }
        var finish = await RunCeremonyAsync(http, settings, server, tenant, "registration", new JsonObject { ["user"] = user }, apiKey, origin,
            (client, options) => client.CreateAsync(options), error, attestation, behaviour).ConfigureAwait(false);
        if (finish is null)
        {
            return 1;
        }
        output.WriteLine("registered");
        Line(output, "user id", (string?)finish["user"]?["id"]);
        Line(output, "user name", (string?)finish["user"]?["name"]);
        Line(output, "credential id", (string?)finish["credential"]?["id"]);
        Line(output, "authenticator", (string?)finish["credential"]?["authenticatorName"] ?? "(unknown)");
        Line(output, "attestation", $"{(string?)finish["credential"]?["attestationFormat"]}, {((bool?)finish["credential"]?["attestationTrusted"] == true ? "trusted" : "not trusted")}");
        Claims(output, (string?)finish["token"]);
        return 0;
    }

    /// <summary>Signs in: authentication/begin, get(), authentication/finish.</summary>
    public static async Task<int> RunSignInAsync(AuthenticatorSettings settings, Uri server, string tenant, string? username, string? origin,
        TextWriter output, TextWriter error, AuthenticatorBehaviour? behaviour = null)
    {
        using var http = new HttpClient { BaseAddress = server };
        var body = username is null ? new JsonObject() : new JsonObject { ["username"] = username };
        var finish = await RunCeremonyAsync(http, settings, server, tenant, "authentication", body, null, origin,
            (client, options) => client.GetAsync(options), error, AttestationKind.None, behaviour).ConfigureAwait(false);
        if (finish is null)
        {
            return 1;
        }
        output.WriteLine("signed in");
        Line(output, "user id", (string?)finish["user"]?["id"]);
        Line(output, "user name", (string?)finish["user"]?["name"]);
        Line(output, "credential id", (string?)finish["credentialId"]);
        Line(output, "user verified", finish["userVerified"]?.ToJsonString());
        Claims(output, (string?)finish["token"]);
        return 0;
    }

    /// <summary>
    /// One ceremony against the server: {ceremony}/begin, the software client answers the options,
    /// the store is saved (the authenticator keeps what it did whatever the server says next, as a
    /// device would), then {ceremony}/finish. Returns the finish response, or null once the error
    /// has been printed.
    /// </summary>
    private static async Task<JsonNode?> RunCeremonyAsync(HttpClient http, AuthenticatorSettings settings, Uri server, string tenant, string ceremony,
        JsonObject beginBody, string? apiKey, string? origin, Func<SoftwareClient, string, Task<string>> answer, TextWriter error,
        AttestationKind attestation, AuthenticatorBehaviour? behaviour)
    {
        string path = $"/v1/tenants/{Uri.EscapeDataString(tenant)}/{ceremony}";
        var begin = await PostAsync(http, path + "/begin", beginBody, apiKey, error).ConfigureAwait(false);
        if (begin is null)
        {
            return null;
        }
        using var session = AuthenticatorSession.Open(settings, attestation, behaviour: behaviour);
        var client = new SoftwareClient(session.Authenticator, new SoftwareClientOptions { Origin = origin ?? DefaultOrigin(server) });
        string response;
        try
        {
            response = await answer(client, Required(begin, "options").ToJsonString()).ConfigureAwait(false);
        }
        catch (WebAuthnClientException e)
        {
            AuthenticatorCommand.ClientError(e, error);
            return null;
        }
        session.Save();
        return await PostAsync(http, path + "/finish", FinishBody(begin, response), null, error).ConfigureAwait(false);
    }

    private static Option<string> ServerOption() => new("--server") { Description = "The server's base URL, e.g. http://localhost:5080", Required = true };

    private static Option<string> TenantOption() => new("--tenant") { Description = "The tenant id", DefaultValueFactory = _ => "default" };

    private static Option<string?> OriginOption() => new("--origin") { Description = "The page origin (default: the server URL's origin)" };

    private static Uri ServerUri(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new CliException($"--server must be an http(s) URL such as http://localhost:5080, not '{text}'");

    private static string DefaultOrigin(Uri server) => server.GetLeftPart(UriPartial.Authority);

    private static JsonObject FinishBody(JsonNode begin, string response) =>
        new() { ["ceremonyId"] = Required(begin, "ceremonyId").DeepClone(), ["response"] = JsonNode.Parse(response) };

    private static JsonNode Required(JsonNode node, string name) =>
        node[name] ?? throw new CliException($"the server's response has no '{name}'");

    /// <summary>POSTs JSON; returns the parsed 2xx body, or prints the problem details and returns null.</summary>
    private static async Task<JsonNode?> PostAsync(HttpClient http, string path, JsonNode body, string? apiKey, TextWriter error)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        string text;
        int status;
        try
        {
            using var response = await http.SendAsync(request).ConfigureAwait(false);
            status = (int)response.StatusCode;
            text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"POST {new Uri(http.BaseAddress!, path)}: {e.Message}", e);
        }
        JsonNode? json;
        try
        {
            json = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            json = null;
        }
        if (status is >= 200 and < 300 && json is not null)
        {
            return json;
        }
        if (json?["code"] is { } code)
        {
            error.WriteLine($"server error {code.ToJsonString()} {(string?)json["error"] ?? (string?)json["title"]} (HTTP {status}): {(string?)json["detail"]} [POST {path}]");
        }
        else
        {
            error.WriteLine($"server error (HTTP {status}) from POST {path}: {(text.Length > 200 ? text[..200] : text)}");
        }
        return null;
    }

    /// <summary>The token's claims, decoded (not verified: verifying is the app's job, against the JWKS).</summary>
    private static void Claims(TextWriter output, string? token)
    {
        if (token is null)
        {
            return;
        }
        string[] parts = token.Split('.');
        if (parts.Length != 3)
        {
            Line(output, "token", "(not a JWT)");
            return;
        }
        output.WriteLine("token claims:");
        try
        {
            using var payload = JsonDocument.Parse(Base64UrlStrict.Decode(parts[1], "token payload"));
            foreach (var claim in payload.RootElement.EnumerateObject())
            {
                Line(output, "  " + claim.Name, claim.Value.ValueKind == JsonValueKind.String ? claim.Value.GetString() : claim.Value.GetRawText());
            }
        }
        catch (Exception e) when (e is PasskeyException or JsonException)
        {
            Line(output, "  (unreadable)", e.Message);
        }
    }

    private static void Line(TextWriter o, string name, string? value) => o.WriteLine($"{name + ":",-20}{value ?? "(absent)"}");
}
