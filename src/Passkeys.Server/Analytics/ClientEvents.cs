using System.Text.Json;
using Passkeys.Server.Errors;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Analytics;

/// <summary>
/// What the SDK reports about a ceremony from the browser (docs/analytics.md, "Client events"):
/// the prompt was shown, and how the browser's prompt ended when it threw. Unauthenticated, so
/// bound to one ceremony of one tenant and trusted for nothing but counting: each kind of event is
/// taken once per ceremony, only while the ceremony is open (plus a grace for a timeout's report,
/// which arrives just after the expiry), and a ceremony the server already answered takes no
/// outcome (the browser then had an answer, not an error).
/// </summary>
public sealed class ClientEvents(IPasskeyStore store, TimeProvider time)
{
    /// <summary>The largest body taken (a report is a few dozen bytes).</summary>
    public const int MaxBodyBytes = 1024;

    /// <summary>How long after its expiry a ceremony still takes reports.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    /// <summary>The event names.</summary>
    public const string PromptShown = "prompt-shown";
    /// <summary>The browser's outcome.</summary>
    public const string Outcome = "outcome";

    /// <summary>Reads the body (at most <see cref="MaxBodyBytes"/>), checks it and records the event.</summary>
    public async Task RecordAsync(string tenantId, string ceremonyId, Stream body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var (name, outcome) = Parse(await ReadBoundedAsync(body, ct).ConfigureAwait(false));
        if (string.IsNullOrEmpty(ceremonyId) || ceremonyId.Length > 64 || ceremonyId.AsSpan().ContainsAnyExcept(Base64Url))
        {
            throw new ServerException(ServerError.ClientEventCeremonyUnknown);
        }
        var row = await store.GetCeremonyOutcomeAsync(tenantId, ceremonyId, ct).ConfigureAwait(false)
            ?? throw new ServerException(ServerError.ClientEventCeremonyUnknown);
        var now = time.GetUtcNow();
        if (now > row.ExpiresAt + Grace)
        {
            throw new ServerException(ServerError.ClientEventTooLate, $"The ceremony expired at {row.ExpiresAt:O}; reports are taken until {Grace.TotalMinutes:0} minutes after.");
        }
        var recorded = name == PromptShown
            ? await store.RecordPromptShownAsync(tenantId, ceremonyId, now, ct).ConfigureAwait(false)
            : await store.RecordClientOutcomeAsync(tenantId, ceremonyId, outcome!, now, ct).ConfigureAwait(false);
        if (!recorded)
        {
            throw new ServerException(ServerError.ClientEventAlreadyReported, name == PromptShown
                ? "The prompt of this ceremony was already reported shown."
                : "An outcome was already reported for this ceremony, or the server already answered it.");
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream body, CancellationToken ct)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[MaxBodyBytes + 1];
        int read;
        while ((read = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            copy.Write(buffer, 0, read);
            if (copy.Length > MaxBodyBytes)
            {
                throw new ServerException(ServerError.PayloadTooLarge, $"A client event is at most {MaxBodyBytes} bytes.");
            }
        }
        return copy.ToArray();
    }

    /// <summary>The event and, for an outcome, which one; ClientEventInvalid for anything else.</summary>
    internal static (string Event, string? Outcome) Parse(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("event", out var e) || e.ValueKind != JsonValueKind.String)
            {
                throw Invalid();
            }
            var name = e.GetString();
            if (name == PromptShown)
            {
                return (PromptShown, null);
            }
            if (name == Outcome && root.TryGetProperty("outcome", out var o) && o.ValueKind == JsonValueKind.String
                && ClientOutcomes.All.Contains(o.GetString()!, StringComparer.Ordinal))
            {
                return (Outcome, o.GetString());
            }
            throw Invalid();
        }
        catch (JsonException)
        {
            throw Invalid();
        }
    }

    private static ServerException Invalid() => new(ServerError.ClientEventInvalid,
        $"The body must be {{\"event\":\"{PromptShown}\"}} or {{\"event\":\"{Outcome}\",\"outcome\":…}} with outcome one of: {string.Join(", ", ClientOutcomes.All)}.");

    private static readonly System.Buffers.SearchValues<char> Base64Url =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
