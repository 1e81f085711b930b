using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Utf8 = System.Text.Encoding;
using System.Text.Json;

namespace Passkeys.Load;

/// <summary>The answer to one request: the parsed JSON of a 2xx response, or the error it was.</summary>
public readonly record struct ServerAnswer(JsonDocument? Json, LoadError Error, string? Detail)
{
    /// <summary>Whether the server answered 2xx with JSON.</summary>
    public bool Ok => Json is not null;
}

/// <summary>
/// The one HTTP connection pool every virtual user shares: a single <see cref="SocketsHttpHandler"/>
/// allowing one connection per worker (more would only queue in the server; fewer would make workers
/// wait on each other inside the client and measure the pool instead of the server), no cookies, no
/// proxy (a load test of a loopback server must not detour through a system proxy).
/// </summary>
public sealed class ServerConnection : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _apiKey;

    /// <summary>Opens the pool for <paramref name="options"/>.</summary>
    public ServerConnection(LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(handler) { BaseAddress = options.Server, Timeout = options.RequestTimeout };
        _apiKey = options.ApiKey ?? "";
        string tenant = "/v1/tenants/" + Uri.EscapeDataString(options.Tenant);
        RegistrationBegin = tenant + "/registration/begin";
        RegistrationFinish = tenant + "/registration/finish";
        AuthenticationBegin = tenant + "/authentication/begin";
        AuthenticationFinish = tenant + "/authentication/finish";
    }

    /// <summary>The base URL.</summary>
    public Uri Server => _http.BaseAddress!;

    internal string RegistrationBegin { get; }
    internal string RegistrationFinish { get; }
    internal string AuthenticationBegin { get; }
    internal string AuthenticationFinish { get; }

    /// <summary>Whether requests that create users carry the API key.</summary>
    public bool UsesApiKey => _apiKey.Length > 0;

    /// <summary>
    /// POSTs a JSON body. Never throws for what the server or the network does: every failure comes
    /// back as a <see cref="LoadError"/>. Only cancellation through <paramref name="cancellationToken"/>
    /// escapes, as <see cref="OperationCanceledException"/>.
    /// </summary>
    public Task<ServerAnswer> PostAsync(string path, string json, bool withApiKey, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Utf8.UTF8, "application/json") };
        if (withApiKey && _apiKey.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("X-Api-Key", _apiKey);
        }
        return SendAsync(request, cancellationToken);
    }

    /// <summary>GETs a path, with the same error handling as <see cref="PostAsync"/>.</summary>
    public Task<ServerAnswer> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    private async Task<ServerAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            byte[] body;
            int status;
            try
            {
                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                status = (int)response.StatusCode;
                body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException e)
            {
                // HttpClient.Timeout surfaces as a cancellation that nobody asked for.
                return new ServerAnswer(null, LoadError.Transport("Timeout"), e.Message);
            }
            catch (HttpRequestException e)
            {
                return new ServerAnswer(null, LoadError.Transport(TransportName(e)), e.Message);
            }
            return Interpret(status, body);
        }
    }

    private static ServerAnswer Interpret(int status, byte[] body)
    {
        JsonDocument? json = null;
        try
        {
            json = body.Length == 0 ? null : JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            // Not JSON: classified by its status below.
        }
        if (status is >= 200 and < 300)
        {
            return json is not null
                ? new ServerAnswer(json, default, null)
                : new ServerAnswer(null, LoadError.Check("NotJson"), $"HTTP {status} with a body that is not JSON");
        }
        using (json)
        {
            if (json is not null && json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("code", out var code) && code.TryGetInt32(out int number))
            {
                string name = Text(json.RootElement, "error") ?? Text(json.RootElement, "title") ?? "Problem";
                return new ServerAnswer(null, LoadError.Problem(number, name, status), Text(json.RootElement, "detail"));
            }
        }
        string text = Utf8.UTF8.GetString(body, 0, Math.Min(body.Length, 200));
        return new ServerAnswer(null, LoadError.Http(status), text);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // The socket error says more than HttpRequestError (ConnectionRefused vs. a generic ConnectionError).
    private static string TransportName(HttpRequestException e)
    {
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode.ToString();
            }
        }
        return e.HttpRequestError.ToString();
    }

    /// <summary>Closes the pool.</summary>
    public void Dispose() => _http.Dispose();

    /// <summary>Elapsed Stopwatch ticks since <paramref name="start"/>.</summary>
    internal static long Since(long start) => Stopwatch.GetTimestamp() - start;
}
