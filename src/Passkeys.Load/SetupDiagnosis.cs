namespace Passkeys.Load;

/// <summary>
/// Turns the failure of the first contact with the server (GET /health, the first registration) into
/// one message that says what is wrong and what to change. A failure there is nearly always
/// configuration — URL, tenant, key, origin — so the run stops instead of measuring errors.
/// </summary>
public static class SetupDiagnosis
{
    /// <summary>The message and exit code when GET /health failed.</summary>
    public static (string Message, int ExitCode) Health(Uri server, ServerAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(server);
        string url = server.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var e = answer.Error;
        return e.Kind switch
        {
            ErrorKind.Transport => ($"cannot reach {url}: {Transport(e.Name)} ({answer.Detail}). Is the server running, and is --url right?", 2),
            ErrorKind.Http when e.Status == 503 => ($"{url} answers, but its store is unavailable (GET /health → 503): check the server's database", 2),
            _ => ($"{url} does not look like a Passkeys server: GET /health → {e}. Check --url", 2),
        };
    }

    /// <summary>The message and exit code when the first registration failed.</summary>
    public static (string Message, int ExitCode) FirstRegistration(LoadOptions options, CeremonyResult result)
    {
        ArgumentNullException.ThrowIfNull(options);
        var e = result.Error;
        string at = $" (at {OperationNames.Name(result.Stage)}: {e}{(result.Detail is null ? "" : ": " + result.Detail)})";
        if (e.IsRateLimited)
        {
            return ($"the server rate-limited the very first registration{at}. {RateLimitHint}", 1);
        }
        return (e.Kind, e.Code) switch
        {
            (ErrorKind.Problem, 1008) => ($"tenant '{options.Tenant}' does not exist on {options.Server}{at}. Check --tenant", 2),
            (ErrorKind.Problem, 1006) => ($"the server refused the API key{at}. Check --api-key and that the key belongs to tenant '{options.Tenant}'", 2),
            (ErrorKind.Problem, 1007) => ($"tenant '{options.Tenant}' does not allow self sign-up{at}. Pass --api-key with a key of the tenant", 2),
            (ErrorKind.Client, _) => ($"the software client refused the server's options on origin {options.EffectiveOrigin}{at}. " +
                "Pass --origin with one of the tenant's origins (its rpId must be that origin's host or a parent of it)", 2),
            (ErrorKind.Problem, < 1000) => ($"the server rejected the first registration{at}. " +
                $"If it is about the origin, pass --origin with one of the tenant's origins (now {options.EffectiveOrigin})", 2),
            (ErrorKind.Transport, _) => ($"lost the server during the first registration{at}", 2),
            _ => ($"the first registration failed{at}", 2),
        };
    }

    /// <summary>What to do about 1014 RateLimited.</summary>
    public const string RateLimitHint =
        "The server's rate limiter (1014 RateLimited) is measuring itself, not the server: raise Passkeys:RateLimits " +
        "(CeremonyPerAddress, default 60/min per client address; CeremonyPerTenant, default 6000/min), " +
        "or set Passkeys:RateLimits:Enabled=false on a test server.";

    private static string Transport(string name) => name switch
    {
        "ConnectionRefused" => "connection refused",
        "HostNotFound" or "NameResolutionError" => "host not found",
        "TimedOut" or "Timeout" => "timed out",
        _ => name,
    };
}
