using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Webhooks;

/// <summary>How one HTTP attempt ended: the receiver's status, or why there was none.</summary>
public sealed record WebhookSendResult(int? StatusCode, string? Error)
{
    /// <summary>True when the receiver answered 2xx.</summary>
    public bool Delivered => StatusCode is >= 200 and < 300;
}

/// <summary>
/// Makes one signed POST (Standard Webhooks headers): a timeout, no redirects followed (a 3xx is a
/// failed attempt), no proxy, and every connection checked against the address rules
/// (<see cref="WebhookTargets.ConnectAsync"/>).
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    /// <summary>Creates the sender's one client (its connections pooled per receiver).</summary>
    public WebhookSender(WebhookTargets targets, IOptions<WebhookOptions> options)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        _timeout = options.Value.Timeout;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectCallback = targets.ConnectAsync,
            ConnectTimeout = _timeout,
            // Connections are re-made (and so re-checked) now and then, not kept for ever.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxResponseHeadersLength = 64,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Passkeys-Webhooks", "1"));
    }

    /// <summary>POSTs <paramref name="delivery"/>'s payload to <paramref name="url"/>, signed with every key in <paramref name="keys"/>.</summary>
    public async Task<WebhookSendResult> SendAsync(string url, WebhookDeliveryRecord delivery, IReadOnlyList<byte[]> keys, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var messageId = WebhookMessageId.Of(delivery.Id);
        var timestamp = now.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(delivery.Payload, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSecret.SignatureHeader(keys, messageId, timestamp, delivery.Payload));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return new WebhookSendResult(status, status switch
            {
                >= 200 and < 300 => null,
                >= 300 and < 400 => $"answered {status} (redirects are not followed)",
                _ => $"answered {status}",
            });
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new WebhookSendResult(null, $"no answer within {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException e)
        {
            var refused = FindRefusal(e);
            return new WebhookSendResult(null, refused is not null ? "refused: " + refused.Message : "could not connect: " + Observability.SafeText.Escape(e.Message, 200));
        }
    }

    private static WebhookTargetRefusedException? FindRefusal(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is WebhookTargetRefusedException refused)
            {
                return refused;
            }
        }
        return null;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
