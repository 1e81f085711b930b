using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Passkeys.Server.Observability;

/// <summary>
/// The server's instruments on the <c>Passkeys.Server</c> meter: ceremonies by outcome, their
/// latency, abandoned ceremonies, session refreshes by outcome. Store timings are on the same meter (<see cref="Storage.StoreMetrics"/>).
/// </summary>
public sealed class PasskeysMetrics
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Passkeys.Server";

    private readonly Counter<long> _ceremonies;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _abandoned;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _webhookAttempts;

    /// <summary>Creates the meter through the app's factory (so each app instance has its own).</summary>
    public PasskeysMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);
        _ceremonies = Meter.CreateCounter<long>("passkeys.ceremonies", "{ceremony}", "Ceremony steps by ceremony, phase, outcome and error.");
        _duration = Meter.CreateHistogram<double>("passkeys.ceremony.duration", "s", "Server time per ceremony step.");
        _abandoned = Meter.CreateCounter<long>("passkeys.ceremonies.abandoned", "{ceremony}", "Ceremonies begun and never finished before they expired.");
        _refreshes = Meter.CreateCounter<long>("passkeys.session.refreshes", "{refresh}",
            "Refresh-token presentations by outcome: rotated, reused (the session was revoked: alert on it), revoked, expired, invalid.");
        _webhookAttempts = Meter.CreateCounter<long>("passkeys.webhook.deliveries", "{attempt}",
            "Webhook delivery attempts by outcome: delivered, retrying (failed, another attempt scheduled), failed (no attempts left), lease_lost.");
    }

    /// <summary>The meter.</summary>
    public Meter Meter { get; }

    /// <summary>Records one begin or finish.</summary>
    public void Ceremony(string ceremony, string phase, string outcome, string? error, TimeSpan elapsed)
    {
        var tags = new TagList { { "ceremony", ceremony }, { "phase", phase }, { "outcome", outcome } };
        _duration.Record(elapsed.TotalSeconds, tags);
        tags.Add("error", error ?? "");
        _ceremonies.Add(1, tags);
    }

    /// <summary>Records an abandoned ceremony.</summary>
    public void Abandoned(string ceremony) => _abandoned.Add(1, new KeyValuePair<string, object?>("ceremony", ceremony));

    /// <summary>Records one refresh-token presentation and how it ended.</summary>
    public void SessionRefresh(string outcome) => _refreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Records how one webhook delivery attempt ended.</summary>
    public void WebhookAttempt(string outcome) => _webhookAttempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
