using System.Globalization;

namespace Passkeys.Load;

/// <summary>Where a failure came from.</summary>
public enum ErrorKind
{
    /// <summary>The server answered with RFC 9457 problem details carrying a Passkeys code.</summary>
    Problem,
    /// <summary>The server answered with an HTTP error that is not a Passkeys problem (a proxy, a crash page).</summary>
    Http,
    /// <summary>No answer: connection refused or reset, name resolution, TLS, timeout.</summary>
    Transport,
    /// <summary>The software client refused the options, as a browser would (DOMException name).</summary>
    Client,
    /// <summary>The server said yes, but not to what was asked (e.g. signed in as another user).</summary>
    Check,
}

/// <summary>
/// One kind of failure, the key errors are counted under: for a problem, its stable code and name
/// (e.g. 1014 RateLimited); for the others, a short name such as ConnectionRefused or NotAllowedError.
/// </summary>
public readonly record struct LoadError(ErrorKind Kind, int Code, string Name, int Status)
{
    /// <summary>The server's rate limiter answered (429, code 1014).</summary>
    public bool IsRateLimited => Kind == ErrorKind.Problem && Code == 1014;

    /// <summary>A problem from the server.</summary>
    public static LoadError Problem(int code, string name, int status) => new(ErrorKind.Problem, code, name, status);

    /// <summary>An HTTP error without problem details.</summary>
    public static LoadError Http(int status) => new(ErrorKind.Http, 0, "HTTP " + status.ToString(CultureInfo.InvariantCulture), status);

    /// <summary>A failure to get an answer.</summary>
    public static LoadError Transport(string name) => new(ErrorKind.Transport, 0, name, 0);

    /// <summary>A client (browser-role) refusal.</summary>
    public static LoadError Client(string domExceptionName) => new(ErrorKind.Client, 0, domExceptionName, 0);

    /// <summary>A wrong but successful answer.</summary>
    public static LoadError Check(string name) => new(ErrorKind.Check, 0, name, 0);

    /// <summary>"1014 RateLimited (HTTP 429)", "transport ConnectionRefused", "client NotAllowedError", …</summary>
    public override string ToString() => Kind switch
    {
        ErrorKind.Problem => string.Create(CultureInfo.InvariantCulture, $"{Code} {Name} (HTTP {Status})"),
        ErrorKind.Http => Name,
        ErrorKind.Transport => "transport " + Name,
        ErrorKind.Client => "client " + Name,
        _ => "check " + Name,
    };
}

/// <summary>How often one error happened at one stage of one operation, and the first message seen for it.</summary>
public sealed class ErrorTally
{
    /// <summary>The number of failures.</summary>
    public long Count { get; set; }

    /// <summary>The message of the first failure (the server's detail, the exception's message).</summary>
    public string? Detail { get; set; }
}

/// <summary>The key the error tallies are kept under.</summary>
public readonly record struct ErrorSite(LoadError Error, Operation Operation, Stage Stage);
