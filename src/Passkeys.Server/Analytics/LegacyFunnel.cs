using Passkeys.Server.Endpoints;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Analytics;

/// <summary>
/// The answer of the older <c>GET …/audit/funnel</c>, kept in its shape (the CLI's <c>admin funnel</c>
/// reads it) but counted from the funnel rows instead of audit events, which had counted every
/// sign-in page load as a started authentication (docs/api.md). Per ceremony: started = every modal
/// ceremony begun plus the conditional ones the user acted on (<see cref="FunnelResults.IsAttempt"/>);
/// succeeded and failed = the server's answers among them; abandoned = the rest that ended
/// (cancelled, timed out, other browser errors, expired). Still-open ceremonies are only in started.
/// </summary>
public static class LegacyFunnel
{
    /// <summary>Builds it.</summary>
    public static FunnelResponse Build(IReadOnlyList<CeremonyOutcomeRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var started = rows.Where(r => r.Mediation == Mediations.Modal || FunnelResults.IsAttempt(r)).ToList();
        var ceremonies = started.GroupBy(r => r.Kind).OrderBy(g => FunnelKinds.All.ToList().IndexOf(g.Key)).Select(g =>
        {
            long Count(Func<string, bool> which) => g.LongCount(r => which(FunnelResults.Of(r)));
            return new FunnelRow(NameOf(g.Key), g.LongCount(), Count(r => r == FunnelResults.Succeeded), Count(r => r == FunnelResults.Failed),
                Count(r => r is not (FunnelResults.Succeeded or FunnelResults.Failed or FunnelResults.Pending)));
        }).ToList();
        var failures = started.Where(FunnelResults.IsAttempt).GroupBy(r => (r.Browser, r.Os))
            .Select(g => new FailureRow(g.Key.Browser, g.Key.Os, g.LongCount(r => FunnelResults.Of(r) != FunnelResults.Succeeded), g.LongCount())).ToList();
        return new FunnelResponse(ceremonies, failures);
    }

    // The audit log's ceremony names, which this answer has always used.
    private static string NameOf(string kind) => kind == FunnelKinds.SignIn ? Observability.Ceremonies.Authentication : kind;
}
