using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Passkeys.Authenticator;
using Passkeys.Authenticator.Client;
using Passkeys.Encoding;

namespace Passkeys.Cli.Fuzzing;

/// <summary>A request body fuzz run against a server: how many requests went to each endpoint and every 5xx.</summary>
internal sealed class ServerFuzzReport
{
    public long Requests { get; set; }
    public Dictionary<string, long> RequestsByEndpoint { get; } = new(StringComparer.Ordinal);
    public List<string> Findings { get; } = [];
}

/// <summary>
/// Posts bodies with hostile strings (<see cref="HostileStrings"/>) and byte mutations to every /v1
/// endpoint that reads a body, on a running server, and reports every 5xx: whatever the body, the
/// answer must be a 2xx or a 4xx. It works in a tenant of its own (created with the admin key), with
/// an API key, a signed-up user's token and, for the finish endpoints, real credential responses of
/// the software authenticator whose clientDataJSON carries the hostile string.
/// </summary>
internal sealed class ServerBodyFuzzer(HttpClient http, string adminKey)
{
    private const string Origin = "http://localhost:5080";

    private sealed record Endpoint(string Name, HttpMethod Method, string Path, string Template, string? Bearer = null, string? ApiKey = null);

    private readonly List<Endpoint> _endpoints = [];
    private string _tenant = "";
    private SoftwareClient _client = null!;

    /// <summary>Creates the tenant, API key and user the bodies refer to.</summary>
    public async Task SetUpAsync(int seed)
    {
        _tenant = "fuzz" + seed.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..6];
        await SendOkAsync(HttpMethod.Post, "/v1/admin/tenants",
            $$"""{"id":"{{_tenant}}","rpId":"localhost","rpName":"fuzz","origins":["{{Origin}}"],"selfSignUp":true}""", bearer: adminKey);
        var apiKey = (string)(await SendOkAsync(HttpMethod.Post, $"/v1/admin/tenants/{_tenant}/api-keys", """{"name":"fuzz"}""", bearer: adminKey))["key"]!;
        _client = new SoftwareClient(new SoftwareAuthenticator(new SoftwareAuthenticatorOptions { Seed = seed }), new SoftwareClientOptions { Origin = Origin });
        var begin = await SendOkAsync(HttpMethod.Post, $"/v1/tenants/{_tenant}/registration/begin", """{"user":{"name":"fuzz"}}""");
        var created = await _client.CreateAsync(begin["options"]!.ToJsonString());
        var user = await SendOkAsync(HttpMethod.Post, $"/v1/tenants/{_tenant}/registration/finish", FinishBody((string)begin["ceremonyId"]!, created));
        string token = (string)user["token"]!, userId = Uri.EscapeDataString((string)user["user"]!["id"]!), credential = (string)user["credential"]!["id"]!;
        string t = $"/v1/tenants/{_tenant}";
        _endpoints.AddRange(
        [
            new("registration/begin", HttpMethod.Post, t + "/registration/begin", """{"user":{"name":"§","displayName":"§"},"authenticatorAttachment":"§","recoveryGrant":"§"}"""),
            new("registration/begin (app)", HttpMethod.Post, t + "/registration/begin", """{"user":{"id":"§","name":"§","displayName":"§"}}""", ApiKey: apiKey),
            new("registration/finish", HttpMethod.Post, t + "/registration/finish", """{"ceremonyId":"§","response":{"id":"§","type":"§"},"name":"§"}"""),
            new("authentication/begin", HttpMethod.Post, t + "/authentication/begin", """{"username":"§"}"""),
            new("authentication/finish", HttpMethod.Post, t + "/authentication/finish", """{"ceremonyId":"§","response":{"id":"§","rawId":"§"}}"""),
            new("step-up/begin", HttpMethod.Post, t + "/step-up/begin", """{"transaction":"§","userId":"§"}""", ApiKey: apiKey),
            new("step-up/begin (user)", HttpMethod.Post, t + "/step-up/begin", """{"transaction":"§"}""", Bearer: token),
            new("step-up/finish", HttpMethod.Post, t + "/step-up/finish", """{"ceremonyId":"§","response":{}}"""),
            new("users/credentials rename", HttpMethod.Patch, $"{t}/users/{userId}/credentials/{credential}", """{"name":"§"}""", ApiKey: apiKey),
            new("me/credentials rename", HttpMethod.Patch, $"{t}/me/credentials/{credential}", """{"name":"§"}""", Bearer: token),
            new("recovery/redeem", HttpMethod.Post, t + "/recovery/redeem", """{"username":"§","code":"§"}"""),
            new("sessions/refresh", HttpMethod.Post, t + "/sessions/refresh", """{"refreshToken":"§"}"""),
            new("sessions/revoke", HttpMethod.Post, t + "/sessions/revoke", """{"refreshToken":"§"}"""),
            new("admin tenants create", HttpMethod.Post, "/v1/admin/tenants", """{"id":"§","rpId":"§","rpName":"§","origins":["§"],"relatedOrigins":["§"],"userVerification":"§","attestation":"§"}""", Bearer: adminKey),
            new("admin tenants replace", HttpMethod.Put, "/v1/admin/tenants/" + _tenant, """{"rpId":"localhost","rpName":"§","origins":["§"]}""", Bearer: adminKey),
            new("admin api-keys create", HttpMethod.Post, $"/v1/admin/tenants/{_tenant}/api-keys", """{"name":"§"}""", Bearer: adminKey),
        ]);
    }

    /// <summary>Endpoint names, for reports and tests.</summary>
    public IEnumerable<string> EndpointNames => _endpoints.Select(e => e.Name).Append("registration/finish (client data)").Append("authentication/finish (client data)");

    /// <summary>Sends bodies round-robin over the endpoints until <paramref name="requestsPerEndpoint"/> each, or <paramref name="duration"/>.</summary>
    public async Task<ServerFuzzReport> RunAsync(int seed, long requestsPerEndpoint, TimeSpan duration, Action<string>? onFinding = null)
    {
        var report = new ServerFuzzReport();
        var random = new Random(seed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (long round = 0; round < requestsPerEndpoint && clock.Elapsed < duration; round++)
        {
            foreach (var endpoint in _endpoints)
            {
                await SendAsync(report, endpoint.Name, endpoint.Method, endpoint.Path, Body(random, endpoint.Template), endpoint.Bearer, endpoint.ApiKey, onFinding).ConfigureAwait(false);
            }
            // The real ceremonies, with a hostile string inside their clientDataJSON.
            var begin = await SendOkAsync(HttpMethod.Post, $"/v1/tenants/{_tenant}/registration/begin", "{\"user\":{\"name\":\"fuzz-" + round.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"}}");
            var created = await _client.CreateAsync(begin["options"]!.ToJsonString());
            await SendAsync(report, "registration/finish (client data)", HttpMethod.Post, $"/v1/tenants/{_tenant}/registration/finish",
                System.Text.Encoding.UTF8.GetBytes(FinishBody((string)begin["ceremonyId"]!, WithHostileClientData(random, created))), null, null, onFinding).ConfigureAwait(false);
            begin = await SendOkAsync(HttpMethod.Post, $"/v1/tenants/{_tenant}/authentication/begin", "{}");
            var got = await _client.GetAsync(begin["options"]!.ToJsonString());
            await SendAsync(report, "authentication/finish (client data)", HttpMethod.Post, $"/v1/tenants/{_tenant}/authentication/finish",
                System.Text.Encoding.UTF8.GetBytes(FinishBody((string)begin["ceremonyId"]!, WithHostileClientData(random, got))), null, null, onFinding).ConfigureAwait(false);
        }
        return report;
    }

    // Placeholders become plain text, a hostile piece, or a mix; now and then the whole body is mutated too.
    private static byte[] Body(Random random, string template)
    {
        var parts = template.Split('§');
        var body = new List<byte>();
        for (int i = 0; i < parts.Length; i++)
        {
            body.AddRange(System.Text.Encoding.UTF8.GetBytes(parts[i]));
            if (i < parts.Length - 1)
            {
                body.AddRange(random.Next(3) switch
                {
                    0 => "x"u8.ToArray(),
                    1 => HostileStrings.Any(random),
                    _ => [.. "a"u8, .. HostileStrings.Any(random), .. "b"u8],
                });
            }
        }
        byte[] bytes = [.. body];
        return random.Next(8) switch
        {
            0 => HostileStrings.Mutate(random, bytes), // also reaches member names
            1 => Mutator.Mutate(random, bytes),
            _ => bytes,
        };
    }

    private static string WithHostileClientData(Random random, string responseJson)
    {
        var node = JsonNode.Parse(responseJson)!;
        var clientData = Base64UrlStrict.Decode((string)node["response"]!["clientDataJSON"]!, "clientDataJSON");
        node["response"]!["clientDataJSON"] = Base64UrlStrict.Encode(HostileStrings.Mutate(random, clientData));
        return node.ToJsonString();
    }

    private static string FinishBody(string ceremonyId, string responseJson) =>
        new JsonObject { ["ceremonyId"] = ceremonyId, ["response"] = JsonNode.Parse(responseJson) }.ToJsonString();

    private async Task SendAsync(ServerFuzzReport report, string name, HttpMethod method, string path, byte[] body, string? bearer, string? apiKey, Action<string>? onFinding)
    {
        using var request = Request(method, path, body, bearer, apiKey);
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        report.Requests++;
        report.RequestsByEndpoint[name] = report.RequestsByEndpoint.GetValueOrDefault(name) + 1;
        if ((int)response.StatusCode >= 500)
        {
            string finding = $"{name}: {method} {path} → {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}\n  body ({body.Length} bytes): {Convert.ToHexStringLower(body)}";
            report.Findings.Add(finding);
            onFinding?.Invoke(finding);
        }
    }

    private async Task<JsonNode> SendOkAsync(HttpMethod method, string path, string body, string? bearer = null)
    {
        using var request = Request(method, path, System.Text.Encoding.UTF8.GetBytes(body), bearer, null);
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        string text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException($"fuzz set-up: {method} {path} answered {(int)response.StatusCode}: {text}");
        }
        return JsonNode.Parse(text)!;
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, byte[] body, string? bearer, string? apiKey)
    {
        var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }
        return request;
    }
}
