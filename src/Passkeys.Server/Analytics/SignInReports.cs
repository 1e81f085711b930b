using System.Globalization;
using Passkeys.Server.Errors;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Analytics;

/// <summary>A sign-in the app reports it made with another method.</summary>
public sealed record SignInReport(string? UserId = null, string? Method = null, string? At = null);

/// <summary>A recorded report.</summary>
public sealed record SignInReported(string Id, string UserId, string Method, DateTimeOffset At);

/// <summary>
/// Records the sign-ins an app makes with its other methods (password, one-time code, social), so
/// adoption can compare them with passkey sign-ins (docs/analytics.md, "Adoption").
/// </summary>
public sealed class SignInReports(IPasskeyStore store, TimeProvider time)
{
    /// <summary>How far in the future a reported time may be (clocks differ a little).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Checks and stores one report.</summary>
    public async Task<SignInReported> RecordAsync(string tenantId, SignInReport report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        var userId = report.UserId?.Trim();
        if (string.IsNullOrEmpty(userId) || userId.Length > 128 || userId.Any(char.IsControl))
        {
            throw Invalid("userId is required: the app's user id, at most 128 characters without control characters.");
        }
        if (report.Method == "passkey")
        {
            throw Invalid("Passkey sign-ins are counted by the server itself; report only the app's other methods.");
        }
        if (report.Method is null || !SignInMethods.All.Contains(report.Method, StringComparer.Ordinal))
        {
            throw Invalid($"method must be one of: {string.Join(", ", SignInMethods.All)}.");
        }
        var now = time.GetUtcNow();
        var at = now;
        if (report.At is not null)
        {
            if (!DateTimeOffset.TryParse(report.At, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
            {
                throw Invalid("at must be a date and time in RFC 3339 format, e.g. 2025-01-31T09:30:00Z.");
            }
            if (at > now + ClockSkew)
            {
                throw Invalid($"at ({at:O}) is in the future.");
            }
        }
        var record = new AppSignInRecord(tenantId, Secrets.TimeOrderedId(now), userId, report.Method, at.ToUniversalTime());
        await store.AppendAppSignInAsync(record, ct).ConfigureAwait(false);
        return new SignInReported(record.Id, record.UserId, record.Method, record.At);
    }

    private static ServerException Invalid(string detail) => new(ServerError.SignInReportInvalid, detail);
}
