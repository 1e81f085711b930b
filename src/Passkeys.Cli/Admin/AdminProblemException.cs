namespace Passkeys.Cli.Admin;

/// <summary>
/// The server answered with an error status (exit code 1). Carries the RFC 9457 problem's stable
/// code, its name and its plain-language detail (docs/api.md, "Errors").
/// </summary>
internal sealed class AdminProblemException : Exception
{
    public AdminProblemException(int status, int? code, string? name, string? detail, string request, TimeSpan? retryAfter = null)
        : base(Describe(status, code, name, detail, request))
    {
        Status = status;
        Code = code;
        RetryAfter = retryAfter;
    }

    public AdminProblemException() { }

    public AdminProblemException(string message) : base(message) { }

    public AdminProblemException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>The problem's numeric code (e.g. 1006), or null when the body was not a Passkeys problem.</summary>
    public int? Code { get; }

    /// <summary>The Retry-After of a 429 (rate limited) answer.</summary>
    public TimeSpan? RetryAfter { get; }

    // "error 1006 Unauthorized: A valid admin key is required. (HTTP 401, GET /v1/admin/tenants)":
    // code and name first because scripts and people grep for them; the request last for context.
    private static string Describe(int status, int? code, string? name, string? detail, string request) =>
        code is null
            ? $"error (HTTP {status}): {detail} ({request})"
            : $"error {code} {name}: {detail} (HTTP {status}, {request})";
}
