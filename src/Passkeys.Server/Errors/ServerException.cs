namespace Passkeys.Server.Errors;

/// <summary>A request failure the server reports as problem details with a <see cref="ServerError"/> code.</summary>
public sealed class ServerException : Exception
{
    /// <summary>Creates the exception; <paramref name="detail"/> is shown to the caller, so it must be safe and plain.</summary>
    public ServerException(ServerError error, string? detail = null)
        : base(detail ?? ProblemFactory.DefaultMessage(error))
    {
        Error = error;
    }

    /// <summary>The stable code.</summary>
    public ServerError Error { get; }

    /// <summary>
    /// The JSON path of the value at fault (e.g. <c>$.users[3].credentials[0].publicKey</c>), sent as
    /// the problem's <c>path</c> member; null when no one value is at fault.
    /// </summary>
    public string? Path { get; init; }

    /// <summary>When the caller may try again (sent as <c>Retry-After</c>); null when it does not apply.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
