using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Passkeys.Server.Tests.Webhooks;

/// <summary>One request as the receiver got it.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
    public string Type => (string)Json["type"]!;
}

/// <summary>
/// A real HTTP receiver on loopback (a small Kestrel app), as an app's backend would run one: it
/// records every request and answers what <see cref="Respond"/> says (200 by default). It also
/// notes how many requests for one webhook-id were in flight at once.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private WebApplication _app = null!;
    private int _overlaps;

    /// <summary>Decides the answer to a request; the int is how many requests with that webhook-id came before it.</summary>
    public Func<ReceivedWebhook, int, Task<int>> Respond { get; set; } = (_, _) => Task.FromResult(200);

    public string Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>How often a request arrived while another with the same webhook-id was still being answered.</summary>
    public int Overlaps => Volatile.Read(ref _overlaps);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        receiver._app = builder.Build();
        receiver._app.MapPost("/hook", receiver.HandleAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address + "/hook";
        return receiver;
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
        var received = new ReceivedWebhook(request.Headers["webhook-id"].ToString(), request.Headers["webhook-timestamp"].ToString(),
            request.Headers["webhook-signature"].ToString(), await reader.ReadToEndAsync());
        var before = _received.Count(r => r.Id == received.Id);
        _received.Enqueue(received);
        if (_inFlight.AddOrUpdate(received.Id, 1, (_, n) => n + 1) > 1)
        {
            Interlocked.Increment(ref _overlaps);
        }
        try
        {
            var status = await Respond(received, before);
            if (status is >= 300 and < 400)
            {
                request.HttpContext.Response.Headers.Location = "/hook"; // back here: a client following it would come again
            }
            return Results.StatusCode(status);
        }
        finally
        {
            _inFlight.AddOrUpdate(received.Id, 0, (_, n) => n - 1);
        }
    }

    /// <summary>Waits until <paramref name="done"/> holds for what was received (fails after <paramref name="timeout"/>).</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var now = Received;
            if (done(now))
            {
                return now;
            }
            Assert.True(DateTime.UtcNow < until, $"timed out waiting for {what}; received {now.Count}: {string.Join(", ", now.Select(r => r.Id + " " + r.Type))}");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Verifies a delivery as a receiver must (Standard Webhooks): the timestamp within the
    /// tolerance, then an HMAC-SHA256 over "id.timestamp.body" with the secret (base64 after
    /// "whsec_") compared in constant time with each "v1," signature of the header.
    /// </summary>
    public static bool Verify(string secret, ReceivedWebhook delivery, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(delivery.Timestamp, out var seconds) || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes($"{delivery.Id}.{delivery.Timestamp}.{delivery.Body}"));
        foreach (var part in delivery.Signature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("v1,", StringComparison.Ordinal)
                && CryptographicOperations.FixedTimeEquals(expected, Convert.FromBase64String(part[3..])))
            {
                return true;
            }
        }
        return false;
    }

    public static bool Verify(string secret, ReceivedWebhook delivery) => Verify(secret, delivery, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
