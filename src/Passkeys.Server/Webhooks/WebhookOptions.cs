using Microsoft.Extensions.Options;

namespace Passkeys.Server.Webhooks;

/// <summary>
/// <c>Passkeys:Webhooks</c>: how webhook deliveries are made and retried (docs/webhooks.md).
/// The defaults suit production; tests shorten the schedule and allow loopback receivers.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Passkeys:Webhooks";

    /// <summary>
    /// Allow endpoints on private, loopback and link-local addresses (default false: such URLs are
    /// refused when created and deliveries to them refused when sent). For tests and closed networks only.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long one HTTP attempt may take, connecting included (default 10 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a node's claim on a delivery stands (default 60 s; more than <see cref="Timeout"/>).
    /// A node killed mid-attempt leaves its deliveries due again after this.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the worker looks for due deliveries when nothing woke it (default 5 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many attempts one node makes at the same time (default 8).</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>
    /// The waits after each failed attempt, each varied by up to ±20 % (jitter); once they are used
    /// up the delivery is <c>failed</c>. Null: <see cref="DefaultRetrySchedule"/>, i.e. 8 attempts over about 28 hours.
    /// </summary>
    public TimeSpan[]? RetrySchedule { get; set; }

    /// <summary>The default schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.</summary>
    public static IReadOnlyList<TimeSpan> DefaultRetrySchedule { get; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>The schedule in force.</summary>
    public IReadOnlyList<TimeSpan> Schedule => RetrySchedule is { Length: > 0 } s ? s : DefaultRetrySchedule;

    /// <summary>How long delivered deliveries are kept (default 7 days).</summary>
    public TimeSpan DeliveredRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long failed deliveries are kept, for inspection and manual retry (default 30 days).</summary>
    public TimeSpan FailedRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The most endpoints a tenant may have (default 20): every event is written once per subscribed endpoint.</summary>
    public int MaxEndpointsPerTenant { get; set; } = 20;
}

/// <summary>Refuses a configuration that could not work, at start.</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(5))
        {
            problems.Add("Passkeys:Webhooks:Timeout must be more than 0 and at most 5 minutes.");
        }
        if (options.LeaseDuration <= options.Timeout)
        {
            problems.Add("Passkeys:Webhooks:LeaseDuration must be longer than Passkeys:Webhooks:Timeout, or a second node could send a delivery still in flight.");
        }
        if (options.PollInterval <= TimeSpan.Zero)
        {
            problems.Add("Passkeys:Webhooks:PollInterval must be more than 0.");
        }
        if (options.MaxConcurrency is < 1 or > 256)
        {
            problems.Add("Passkeys:Webhooks:MaxConcurrency must be from 1 to 256.");
        }
        if (options.RetrySchedule is { } schedule && (schedule.Length > 30 || schedule.Any(d => d <= TimeSpan.Zero)))
        {
            problems.Add("Passkeys:Webhooks:RetrySchedule must list at most 30 waits, each more than 0.");
        }
        if (options.DeliveredRetention <= TimeSpan.Zero || options.FailedRetention <= TimeSpan.Zero)
        {
            problems.Add("Passkeys:Webhooks:DeliveredRetention and FailedRetention must be more than 0.");
        }
        if (options.MaxEndpointsPerTenant is < 1 or > 1000)
        {
            problems.Add("Passkeys:Webhooks:MaxEndpointsPerTenant must be from 1 to 1000.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
