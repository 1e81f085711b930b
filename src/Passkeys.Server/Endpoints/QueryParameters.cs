using System.Globalization;
using Passkeys.Server.Errors;

namespace Passkeys.Server.Endpoints;

/// <summary>
/// Reads query-string parameters. Endpoints bind them as text and parse them here, so a value not
/// in its documented format is a <c>400 ValidationFailed</c> that names the parameter and the
/// format; the framework's own binder could only say the request was unreadable, with a message
/// about JSON bodies. Nothing is clamped or dropped: an out-of-range value is refused.
/// </summary>
internal static class QueryParameters
{
    /// <summary>Page size when <c>limit</c> is absent.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1000;

    /// <summary><c>limit</c>: a whole number from 1 to <see cref="MaxLimit"/>; <see cref="DefaultLimit"/> when absent.</summary>
    public static int Limit(string? value)
    {
        if (value is null)
        {
            return DefaultLimit;
        }
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > MaxLimit)
        {
            throw Invalid($"limit must be a whole number from 1 to {MaxLimit} (default {DefaultLimit}).");
        }
        return limit;
    }

    /// <summary>A point in time: RFC 3339 (<c>2025-01-31T09:30:00Z</c>, or with an offset); a bare date or time is UTC.</summary>
    public static DateTimeOffset? Time(string? value, string name)
    {
        if (value is null)
        {
            return null;
        }
        if (value.Length == 0 || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            throw Invalid($"{name} must be a date and time in RFC 3339 format, e.g. 2025-01-31T09:30:00Z.");
        }
        return time;
    }

    /// <summary>A positive whole number id (an audit event id for <c>before</c>).</summary>
    public static long? Id(string? value, string name, string what)
    {
        if (value is null)
        {
            return null;
        }
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
        {
            throw Invalid($"{name} must be {what} (a positive whole number).");
        }
        return id;
    }

    /// <summary>One of <paramref name="allowed"/>, exactly (case-sensitive, as stored).</summary>
    public static string? OneOf(string? value, string name, IReadOnlyList<string> allowed)
    {
        if (value is null || allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }
        throw Invalid($"{name} must be one of: {string.Join(", ", allowed)}.");
    }

    /// <summary>Free text that must not be empty when given (an empty filter matches nothing, which would look like "no results").</summary>
    public static string? Text(string? value, string name)
    {
        if (value is { Length: 0 })
        {
            throw Invalid($"{name} must not be empty; leave it out to not filter by it.");
        }
        return value;
    }

    /// <summary>
    /// Refuses a parameter given more than once: the framework would join the values with commas
    /// (<c>?userId=a&amp;userId=b</c> → <c>"a,b"</c>) and answer for a value nobody sent.
    /// </summary>
    public static ValueTask<object?> RefuseRepeatedAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var (name, values) in context.HttpContext.Request.Query)
        {
            if (values.Count > 1)
            {
                var shown = name.Length > 40 ? name[..40] + "…" : name;
                throw Invalid($"The query parameter '{shown}' is given {values.Count} times; give it at most once.");
            }
        }
        return next(context);
    }

    private static ServerException Invalid(string detail) => new(ServerError.ValidationFailed, detail);
}
