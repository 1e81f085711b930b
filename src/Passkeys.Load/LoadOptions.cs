namespace Passkeys.Load;

/// <summary>What a load run does. <see cref="Validate"/> states every problem as a message for the user.</summary>
public sealed class LoadOptions
{
    /// <summary>The server's base URL (http or https).</summary>
    public required Uri Server { get; init; }

    /// <summary>The tenant id.</summary>
    public string Tenant { get; init; } = "default";

    /// <summary>An API key (pkk_…): users are created through the app's path instead of self sign-up.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The page origin the software clients claim; null means the server URL's origin.</summary>
    public string? Origin { get; init; }

    /// <summary>How many users the setup phase registers (the sign-in population). At least 1.</summary>
    public int Users { get; init; } = 100;

    /// <summary>How many ceremonies run at once (each worker runs one ceremony at a time).</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>How long the measured phase runs; ignored when <see cref="Iterations"/> is set.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>When set, the measured phase runs exactly this many ceremonies instead of for a duration.</summary>
    public long? Iterations { get; init; }

    /// <summary>The unmeasured warm-up before the measured phase (JIT, connection pool, server caches).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The share of each operation.</summary>
    public OperationMix Mix { get; init; } = OperationMix.Default;

    /// <summary>The share of failed ceremonies (0–1) above which the run counts as failed.</summary>
    public double MaxErrorRate { get; init; } = 0.01;

    /// <summary>Per-request timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether the server runs in this same process (the benchmark's http mode): the report's CPU
    /// figure then covers server and generator together.
    /// </summary>
    public bool ServerInProcess { get; init; }

    /// <summary>The origin in effect.</summary>
    public string EffectiveOrigin => Origin ?? Server.GetLeftPart(UriPartial.Authority);

    /// <summary>Every problem with these options, as messages naming the command-line option; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Server.IsAbsoluteUri || (Server.Scheme != Uri.UriSchemeHttp && Server.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"--url must be an http(s) URL such as http://localhost:5080, not '{Server}'");
        }
        if (string.IsNullOrEmpty(Tenant) || Tenant.Length > 64 || !IsTenantId(Tenant))
        {
            errors.Add($"--tenant must be 1-64 characters of a-z, 0-9 and '-', not '{Tenant}'");
        }
        if (Users < 1)
        {
            errors.Add("--users must be at least 1");
        }
        if (Concurrency is < 1 or > 10_000)
        {
            errors.Add("--concurrency must be between 1 and 10000");
        }
        if (Iterations is { } n && n < 1)
        {
            errors.Add("--iterations must be at least 1");
        }
        if (Iterations is null && Duration <= TimeSpan.Zero)
        {
            errors.Add("--duration must be above 0");
        }
        if (Warmup < TimeSpan.Zero)
        {
            errors.Add("--warmup must not be negative");
        }
        if (MaxErrorRate is < 0 or > 1 || double.IsNaN(MaxErrorRate))
        {
            errors.Add("--max-error-rate must be between 0 and 1 (or 0% to 100%)");
        }
        if (Origin is not null && (!Uri.TryCreate(Origin, UriKind.Absolute, out var o) || o.AbsolutePath != "/" || Origin.EndsWith('/')))
        {
            errors.Add($"--origin must be an origin such as https://example.com (scheme, host, port; no path), not '{Origin}'");
        }
        return errors;
    }

    private static bool IsTenantId(string id)
    {
        foreach (char c in id)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }
        return true;
    }
}
