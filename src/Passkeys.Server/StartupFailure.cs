using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Passkeys.Server;

/// <summary>
/// What the operator reads when the server cannot start: one line that says why and what to do,
/// instead of an unhandled exception's stack trace and an abort signal.
/// </summary>
/// <remarks>
/// The server stops its start on purpose with <see cref="OptionsValidationException"/> (a setting
/// with a wrong value, naming it), <see cref="InvalidOperationException"/> (a store it cannot use, a
/// key ring it cannot read, a folder it cannot protect) and the I/O exceptions of the environment
/// (an address it cannot listen on, a file it may not read). Those are expected and end as
/// one line; anything else is a defect and keeps its full trace (<see cref="IsExpected"/> is false).
/// </remarks>
public static class StartupFailure
{
    /// <summary>Exit code of a start that failed for a reason the operator can fix.</summary>
    public const int ExitCode = 1;

    /// <summary>Whether <paramref name="e"/> is one of the ways the server refuses to start (every one of them, if several).</summary>
    public static bool IsExpected(Exception e) => e switch
    {
        AggregateException many => many.InnerExceptions.Count > 0 && many.InnerExceptions.All(IsExpected),
        OptionsValidationException or InvalidOperationException or IOException or UnauthorizedAccessException or SocketException => true,
        _ => false,
    };

    /// <summary>
    /// The line written to standard error: why the start stopped and, for an address it cannot
    /// listen on, what to do. <paramref name="addresses"/> are the ones it was to listen on
    /// (Kestrel names the address when it is in use, not when it is refused).
    /// </summary>
    public static string Describe(Exception e, IEnumerable<string> addresses) =>
        "Passkeys.Server did not start: " + string.Join(" Also: ", Reasons(e, string.Join(", ", addresses)));

    /// <summary>
    /// The addresses the server was set to listen on: <c>Kestrel:Endpoints</c> when there are any
    /// (they take precedence), else <c>urls</c> (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, or the default).
    /// </summary>
    public static IReadOnlyList<string> ListeningAddresses(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>().ToArray();
        return endpoints.Length > 0
            ? endpoints
            : (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static IEnumerable<string> Reasons(Exception e, string addresses) => e switch
    {
        AggregateException many => many.InnerExceptions.SelectMany(inner => Reasons(inner, addresses)),
        OptionsValidationException invalid => invalid.Failures,
        IOException { InnerException: AddressInUseException } => [$"{e.Message.TrimEnd('.')}: another process is listening there. " +
            "Stop it, or give this server another address (--urls, ASPNETCORE_URLS or Kestrel:Endpoints)."],
        SocketException { SocketErrorCode: SocketError.AccessDenied } => [$"cannot listen on {addresses}: permission denied. " +
            "Ports below 1024 need root or the CAP_NET_BIND_SERVICE capability; or listen on a higher port behind a proxy (docs/operations.md, Proxies)."],
        SocketException { SocketErrorCode: SocketError.AddressNotAvailable } => [$"cannot listen on {addresses}: this machine has no such address. " +
            "Listen on one of its own addresses, or on 0.0.0.0 / [::] for all of them (--urls, ASPNETCORE_URLS or Kestrel:Endpoints)."],
        SocketException socket => [$"cannot listen on {addresses}: {socket.Message}."],
        _ => [e.Message],
    };
}
