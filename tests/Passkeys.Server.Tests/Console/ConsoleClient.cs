using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Passkeys.Authenticator.Client;
using Passkeys.Server.Tests.Integration;

namespace Passkeys.Server.Tests.OperatorConsole;

/// <summary>
/// A browser's view of the console for server tests: it keeps the operator cookie itself (so tests
/// see and assert the Set-Cookie header), sends the console's Origin and, when asked, its CSRF header.
/// </summary>
public sealed class ConsoleClient(TestServer server, SoftwareClient authenticator) : IDisposable
{
    // Its own client without a cookie container: the server's shared client would keep one
    // operator's cookie and send it with another's requests.
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = server.BaseAddress };

    public void Dispose() => _http.Dispose();

    public const string Origin = TestServer.Origin;

    public SoftwareClient Authenticator { get; } = authenticator;
    public string? Cookie { get; set; }
    public string? Csrf { get; set; }
    public string? LastSetCookie { get; private set; }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, bool csrf = true, string origin = Origin, string? bearer = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body is string s ? s : JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
        }
        request.Headers.Add("Origin", origin);
        if (Cookie is not null) request.Headers.Add("Cookie", Cookie);
        if (csrf && Csrf is not null) request.Headers.Add("X-Console-Csrf", Csrf);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        var response = await _http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            LastSetCookie = cookies.First();
        }
        return response;
    }

    public async Task<JsonNode> OkAsync(HttpMethod method, string path, object? body = null)
    {
        using var response = await SendAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} → {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>Enrols with the secret of <paramref name="enrolmentUrl"/>; keeps the session cookie and CSRF token.</summary>
    public async Task<JsonNode> EnrolAsync(string enrolmentUrl, string name)
    {
        var secret = enrolmentUrl[(enrolmentUrl.IndexOf("#enrol=", StringComparison.Ordinal) + 7)..];
        var begin = await OkAsync(HttpMethod.Post, "/v1/console/enrolment/begin", new { invitation = secret, name });
        var response = await Authenticator.CreateAsync(begin["options"]!.ToJsonString());
        return await FinishAsync("/v1/console/enrolment/finish", begin, response);
    }

    /// <summary>Signs in with the authenticator's passkey; keeps the new session cookie and CSRF token.</summary>
    public async Task<JsonNode> SignInAsync()
    {
        var begin = await OkAsync(HttpMethod.Post, "/v1/console/sign-in/begin");
        var response = await Authenticator.GetAsync(begin["options"]!.ToJsonString());
        return await FinishAsync("/v1/console/sign-in/finish", begin, response);
    }

    private async Task<JsonNode> FinishAsync(string path, JsonNode begin, string response)
    {
        var body = new JsonObject { ["ceremonyId"] = (string)begin["ceremonyId"]!, ["response"] = JsonNode.Parse(response) }.ToJsonString();
        var result = await OkAsync(HttpMethod.Post, path, body);
        Cookie = LastSetCookie!.Split(';')[0];
        Csrf = (string)result["csrfToken"]!;
        return result;
    }
}
