using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Passkeys.Cli.Admin;

/// <summary>
/// The admin API over HTTP (docs/api.md, "Admin API"): sends the admin key as a bearer token,
/// returns 2xx bodies typed, turns error statuses into <see cref="AdminProblemException"/> (exit 1)
/// and an unreachable or non-Passkeys server into <see cref="CliException"/> (exit 2).
/// </summary>
internal sealed class AdminHttp : IDisposable
{
    /// <summary>The server's JSON is camelCase; <c>Web</c> defaults read it without attributes.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    // Long enough for a slow store, short enough that a black-holed address does not look like a hang.
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    public AdminHttp(Uri baseUrl, string adminKey)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        // A trailing slash makes relative paths land under a reverse proxy's prefix
        // (http://host/passkeys/ + v1/admin/… → http://host/passkeys/v1/admin/…).
        BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _http = new HttpClient { BaseAddress = BaseUrl, Timeout = s_timeout };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public Uri BaseUrl { get; }

    /// <summary>Builds a relative path from literal parts and escaped ids: <c>Path("v1/admin/tenants", id)</c>.</summary>
    public static string Path(string prefix, params string[] segments) =>
        segments.Aggregate(prefix, (path, segment) => path + "/" + Uri.EscapeDataString(segment));

    /// <summary>A query string of the given (name, value) pairs, skipping null values.</summary>
    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => p.Value is not null).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)).ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }

    public Task<Reply<T>> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, path, null, ct);

    /// <summary>Sends a request whose answer has a body of type <typeparamref name="T"/>.</summary>
    public async Task<Reply<T>> SendAsync<T>(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        string text = await SendAsync(method, path, body, ct).ConfigureAwait(false);
        try
        {
            var value = JsonSerializer.Deserialize<T>(text, JsonOptions);
            if (value is not null)
            {
                return new Reply<T>(value, text);
            }
        }
        catch (JsonException)
        {
            // Reported below: a 2xx that is not the documented JSON means --url points elsewhere.
        }
        throw new CliException($"{method} {new Uri(BaseUrl, path)} answered with something other than the Passkeys admin API's JSON; is --url the Passkeys server?");
    }

    /// <summary>Sends a request; returns the 2xx body text (empty for 204).</summary>
    public async Task<string> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        }
        var url = new Uri(BaseUrl, path);
        try
        {
            using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
            string text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return text;
            }
            throw Problem((int)response.StatusCode, text, $"{method} /{path}", response.Headers.RetryAfter?.Delta);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach the Passkeys server at {BaseUrl} ({e.Message}); is it running? Set --url or PASSKEYS_URL.", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            // HttpClient reports its own timeout as a cancellation nobody asked for.
            throw new CliException($"{method} {url} timed out after {s_timeout.TotalSeconds:0} s; is --url the Passkeys server?", e);
        }
    }

    /// <summary>Reads an RFC 9457 problem; a body that is not one (a proxy's HTML page) is quoted briefly.</summary>
    private static AdminProblemException Problem(int status, string text, string request, TimeSpan? retryAfter)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonObject problem && problem["code"] is JsonValue code && code.TryGetValue(out int number))
            {
                return new AdminProblemException(status, number, (string?)problem["error"] ?? (string?)problem["title"], (string?)problem["detail"], request, retryAfter);
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the quoted text.
        }
        string excerpt = text.Length > 200 ? text[..200] + "…" : text;
        return new AdminProblemException(status, null, null, excerpt.Length == 0 ? "(empty body)" : excerpt.ReplaceLineEndings(" "), request, retryAfter);
    }

    public void Dispose() => _http.Dispose();
}
