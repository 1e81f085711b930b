using System.CommandLine;
using System.Globalization;

namespace Passkeys.Cli.Admin;

/// <summary>
/// <c>--from</c>/<c>--to</c>: an RFC 3339 time (<c>2025-06-01T00:00:00Z</c>, or a date, taken as UTC)
/// or a span back from now (<c>30m</c>, <c>24h</c>, <c>7d</c>), because "the last hour" is what an
/// operator looking at an incident usually means.
/// </summary>
internal static class TimeOption
{
    public static Option<DateTimeOffset?> Create(string name, string description) => new(name)
    {
        Description = description + " (RFC 3339 time or date, or a span back from now: 30m, 24h, 7d)",
        CustomParser = r =>
        {
            string text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
            var parsed = Parse(text, DateTimeOffset.UtcNow);
            if (parsed is null)
            {
                r.AddError($"{name} must be an RFC 3339 time such as 2025-06-01T12:00:00Z, a date, or a span such as 30m, 24h or 7d; not '{text}'");
            }
            return parsed;
        },
    };

    /// <summary>The time <paramref name="text"/> means at <paramref name="now"/>, or null.</summary>
    public static DateTimeOffset? Parse(string text, DateTimeOffset now)
    {
        if (text.Length >= 2 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int amount))
        {
            TimeSpan? unit = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(1),
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                'd' => TimeSpan.FromDays(1),
                _ => null,
            };
            if (unit is { } u)
            {
                return now - u * amount;
            }
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
    }

    /// <summary>The query-string form the server reads (round-trip, UTC).</summary>
    public static string? Format(DateTimeOffset? time) => time?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
