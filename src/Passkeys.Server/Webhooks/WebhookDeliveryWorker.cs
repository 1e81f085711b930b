using System.Data.Common;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Passkeys.Server.Observability;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Webhooks;

/// <summary>
/// Sends the outbox: claims due deliveries with a lease (committed before any HTTP call), attempts
/// each at most <see cref="WebhookOptions.MaxConcurrency"/> at a time, and records the outcome:
/// delivered on 2xx, otherwise the next attempt per the retry schedule, or failed when it is used
/// up. Wakes when deliveries are enqueued (in-process, and on PostgreSQL a NOTIFY from any node),
/// and polls as a fallback. Delivery is at least once: a node killed mid-attempt leaves the lease
/// to expire, and the delivery is sent again with the same <c>webhook-id</c>.
/// </summary>
public sealed partial class WebhookDeliveryWorker : BackgroundService
{
    private const int PurgeBatch = 1000;
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(10);

    private readonly IPasskeyStore _store;
    private readonly WebhookSender _sender;
    private readonly WebhookService _webhooks;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly PasskeysMetrics _metrics;
    private readonly ILogger<WebhookDeliveryWorker> _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _slots;
    private DateTimeOffset _nextPurge = DateTimeOffset.MinValue;

    /// <summary>Creates the worker; it listens for enqueue notices at once.</summary>
    public WebhookDeliveryWorker(IPasskeyStore store, WebhookSender sender, WebhookService webhooks, IOptions<WebhookOptions> options, TimeProvider time,
        PasskeysMetrics metrics, ILogger<WebhookDeliveryWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        (_store, _sender, _webhooks, _options, _time, _metrics, _logger) = (store, sender, webhooks, options.Value, time, metrics, logger);
        _slots = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
        store.Changes.Changed += change =>
        {
            if (change.Kind is StoreChangeKind.Outbox or StoreChangeKind.Everything)
            {
                Wake();
            }
        };
    }

    /// <summary>This node's name in leases: host, process and a random part (two workers in one process differ).</summary>
    public string Node { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>Makes the worker look for due deliveries now.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var attempts = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await PurgeIfDueAsync(stoppingToken).ConfigureAwait(false);
                var claimed = await ClaimAsync(stoppingToken).ConfigureAwait(false);
                attempts.RemoveAll(t => t.IsCompleted);
                foreach (var delivery in claimed)
                {
                    attempts.Add(AttemptAsync(delivery, stoppingToken));
                }
                if (claimed.Count > 0 && _slots.CurrentCount > 0)
                {
                    continue; // a full batch: more may be due
                }
                await WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Attempts under way end (cancelled ones put their delivery back as due) before the host stops.
        await Task.WhenAll(attempts).ConfigureAwait(false);
    }

    // Takes as many free slots as there are due deliveries; each claimed delivery holds one until its attempt ends.
    private async Task<IReadOnlyList<WebhookDeliveryRecord>> ClaimAsync(CancellationToken ct)
    {
        var free = 0;
        while (_slots.Wait(0))
        {
            free++;
        }
        if (free == 0)
        {
            return [];
        }
        IReadOnlyList<WebhookDeliveryRecord> claimed = [];
        try
        {
            var now = _time.GetUtcNow();
            claimed = await _store.ClaimWebhookDeliveriesAsync(Node, now, now + _options.LeaseDuration, free, ct).ConfigureAwait(false);
        }
        catch (DbException e)
        {
            LogStoreFailed(_logger, e);
        }
        finally
        {
            if (free > claimed.Count)
            {
                _slots.Release(free - claimed.Count);
            }
        }
        return claimed;
    }

    private async Task WaitAsync(CancellationToken ct)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(ct);
        poll.CancelAfter(_options.PollInterval);
        try
        {
            await _wake.Reader.WaitToReadAsync(poll.Token).ConfigureAwait(false);
            _wake.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The poll interval passed: look anyway.
        }
    }

    private async Task AttemptAsync(WebhookDeliveryRecord delivery, CancellationToken ct)
    {
        await Task.Yield(); // the claim loop goes on while this attempt runs
        try
        {
            var result = await SendAsync(delivery, ct).ConfigureAwait(false);
            await CompleteAsync(delivery, result).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down mid-attempt: due again at once (for any node) rather than after the lease.
            await CompleteAsync(delivery, new WebhookAttemptResult(WebhookDeliveryStatus.Pending, _time.GetUtcNow(), null, "interrupted: the node shut down",
                _time.GetUtcNow()), "interrupted").ConfigureAwait(false);
        }
        catch (DbException e)
        {
            LogStoreFailed(_logger, e); // the lease expires and the delivery is due again
        }
#pragma warning disable CA1031 // one attempt's fault must not stop the worker; its lease expires and it is tried again
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogAttemptFaulted(_logger, WebhookMessageId.Of(delivery.Id), e);
        }
        finally
        {
            _slots.Release();
            Wake();
        }
    }

    private async Task<WebhookAttemptResult> SendAsync(WebhookDeliveryRecord delivery, CancellationToken ct)
    {
        var endpoint = await _store.GetWebhookEndpointAsync(delivery.TenantId, delivery.EndpointId, ct).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (endpoint is null || !endpoint.Enabled)
        {
            // Deleted (its deliveries went with it) or turned off after this was enqueued: not sent; an admin may retry it once it is on.
            return new WebhookAttemptResult(WebhookDeliveryStatus.Failed, now, null, "not sent: the endpoint is disabled", now);
        }
        IReadOnlyList<byte[]> keys;
        try
        {
            keys = _webhooks.SigningKeysOf(endpoint, now);
        }
        catch (CryptographicException e)
        {
            LogSecretUnreadable(_logger, endpoint.Id, endpoint.TenantId, e.Message);
            return Retry(delivery, null, "not sent: the endpoint's secret cannot be decrypted on this node (key ring or KEK)");
        }
        var sent = await _sender.SendAsync(endpoint.Url, delivery, keys, now, ct).ConfigureAwait(false);
        var end = _time.GetUtcNow();
        return sent.Delivered
            ? new WebhookAttemptResult(WebhookDeliveryStatus.Delivered, end, sent.StatusCode, null, end)
            : Retry(delivery, sent.StatusCode, sent.Error);
    }

    // The next attempt per the schedule (varied by up to ±20 % so retries of many deliveries spread out), or failed when it is used up.
    private WebhookAttemptResult Retry(WebhookDeliveryRecord delivery, int? statusCode, string? error)
    {
        var now = _time.GetUtcNow();
        var schedule = _options.Schedule;
        if (delivery.Attempts > schedule.Count)
        {
            return new WebhookAttemptResult(WebhookDeliveryStatus.Failed, now, statusCode, error, now);
        }
        var wait = schedule[delivery.Attempts - 1];
        var jitter = 0.8 + (0.4 * Random.Shared.NextDouble());
        return new WebhookAttemptResult(WebhookDeliveryStatus.Pending, now + (wait * jitter), statusCode, error, now);
    }

    private async Task CompleteAsync(WebhookDeliveryRecord delivery, WebhookAttemptResult result, string? outcome = null)
    {
        // Not the stopping token: the outcome of an attempt already made must be recorded.
        var recorded = await _store.CompleteWebhookDeliveryAsync(delivery.Id, Node, delivery.Attempts, result, CancellationToken.None).ConfigureAwait(false);
        outcome ??= !recorded ? "lease_lost"
            : result.Status == WebhookDeliveryStatus.Pending ? "retrying"
            : result.Status;
        _metrics.WebhookAttempt(outcome);
        if (outcome == WebhookDeliveryStatus.Failed)
        {
            LogFailed(_logger, WebhookMessageId.Of(delivery.Id), delivery.EndpointId, delivery.Attempts, result.Error);
        }
    }

    private async Task PurgeIfDueAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (now < _nextPurge)
        {
            return;
        }
        _nextPurge = now + PurgeInterval;
        try
        {
            foreach (var (status, retention) in new[] { (WebhookDeliveryStatus.Delivered, _options.DeliveredRetention), (WebhookDeliveryStatus.Failed, _options.FailedRetention) })
            {
                while (await _store.PurgeWebhookDeliveriesAsync(status, now - retention, PurgeBatch, ct).ConfigureAwait(false) == PurgeBatch)
                {
                }
            }
        }
        catch (DbException e)
        {
            LogStoreFailed(_logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery: the store failed; leased deliveries become due again when their lease expires.")]
    private static partial void LogStoreFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery {MessageId}: the attempt faulted; it is tried again when its lease expires.")]
    private static partial void LogAttemptFaulted(ILogger logger, string messageId, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {MessageId} to endpoint {Endpoint} failed after {Attempts} attempts: {Error}")]
    private static partial void LogFailed(ILogger logger, string messageId, string endpoint, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The secret of webhook endpoint {Endpoint} of tenant {Tenant} cannot be decrypted: {Reason}. Nodes sharing a database must share the key ring or KEK.")]
    private static partial void LogSecretUnreadable(ILogger logger, string endpoint, string tenant, string reason);
}
