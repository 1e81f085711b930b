using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Passkeys.Server.Observability;

namespace Passkeys.Server.Errors;

/// <summary>
/// Turns every exception into problem details: the server's and the library's errors with their
/// codes, request-reading failures (bad JSON, wrong types, oversize, wrong content type) into 4xx,
/// and anything else into a logged 500 that reveals nothing.
/// </summary>
public sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var problem = exception switch
        {
            ServerException e => ProblemFactory.Create(httpContext, e.Error, e.Message),
            PasskeyException e => ProblemFactory.Create(httpContext, e),
            BadHttpRequestException e => ProblemFactory.Create(httpContext, e.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => ServerError.PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType => ServerError.UnsupportedMediaType,
                _ => ServerError.MalformedRequest,
            }),
            JsonException => ProblemFactory.Create(httpContext, ServerError.MalformedRequest),
            // PostgreSQL text cannot hold NUL (SQLite's can): such input is malformed, not an outage.
            Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.CharacterNotInRepertoire } =>
                ProblemFactory.Create(httpContext, ServerError.MalformedRequest, "The request contains a NUL character, which is not allowed in text."),
            Microsoft.Data.Sqlite.SqliteException or Npgsql.NpgsqlException => ProblemFactory.Create(httpContext, ServerError.StoreUnavailable),
            // Work that runs to completion (RunToCompletion) gave up on its timeout: the store is too slow, not a bug.
            OperationCanceledException when !httpContext.RequestAborted.IsCancellationRequested => ProblemFactory.Create(httpContext, ServerError.StoreUnavailable),
            _ => ProblemFactory.Create(httpContext, ServerError.Internal),
        };
        if (exception is PasskeyException pe)
        {
            // The detail quotes the client (an origin from clientDataJSON): escaped, it stays on one line.
            LogCeremonyFailure(logger, pe.Error, SafeText.Escape(pe.Detail)!);
        }
        else if (problem.Status >= 500)
        {
            LogUnhandled(logger, exception, SafeText.Escape(httpContext.Request.Method)!, SafeText.Escape(httpContext.Request.Path.Value ?? "")!);
        }
        else
        {
            LogRejected(logger, problem.Status ?? 0, problem.Title, exception.GetType().Name);
        }
        if (exception is ServerException { Path: { } path })
        {
            problem.Extensions["path"] = path;
        }
        if (exception is ServerException { RetryAfter: { } retryAfter })
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await ProblemFactory.WriteAsync(httpContext, problem).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ceremony failed: {Error}: {Detail}")]
    private static partial void LogCeremonyFailure(ILogger logger, PasskeyError error, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request rejected with {Status} {Error} ({Exception})")]
    private static partial void LogRejected(ILogger logger, int status, string? error, string exception);
}
