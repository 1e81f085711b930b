using Passkeys.Server.Storage;

namespace Passkeys.Server.Analytics;

/// <summary>Adoption figures (docs/analytics.md, "Adoption").</summary>
public static class AdoptionReport
{
    /// <summary>
    /// Active users in the window (a successful ceremony of any kind, or a sign-in the app reported)
    /// and how many of them had an active passkey registered before the window's end.
    /// </summary>
    public static AdoptionShare Share(DateTimeOffset to, IReadOnlyList<CeremonyOutcomeRecord> rows, IReadOnlyList<AppSignInRecord> appSignIns,
        IReadOnlyList<PasskeyFact> passkeys)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(appSignIns);
        ArgumentNullException.ThrowIfNull(passkeys);
        var active = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            if (r.ServerOutcome == ServerOutcomes.Succeeded && r.UserId is { } u)
            {
                active.Add(u);
            }
        }
        foreach (var s in appSignIns)
        {
            active.Add(s.UserId);
        }
        var holders = passkeys.Where(p => p.CreatedAt < to).Select(p => p.UserId).ToHashSet(StringComparer.Ordinal);
        var with = active.LongCount(holders.Contains);
        return new AdoptionShare(active.Count, with, FailureReport.Rate(with, active.Count));
    }

    /// <summary>The whole adoption answer.</summary>
    public static AdoptionResponse Build(AnalyticsWindow window, IReadOnlyList<CeremonyOutcomeRecord> rows, IReadOnlyList<AppSignInRecord> appSignIns,
        IReadOnlyList<PasskeyFact> passkeys, long users)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(appSignIns);
        ArgumentNullException.ThrowIfNull(passkeys);
        long Method(string m) => appSignIns.LongCount(s => s.Method == m);
        var byMethod = new SignInsByMethod(rows.LongCount(r => r.Kind == FunnelKinds.SignIn && r.ServerOutcome == ServerOutcomes.Succeeded),
            Method(SignInMethods.Password), Method(SignInMethods.Otp), Method(SignInMethods.Social), Method(SignInMethods.Other));
        // Now, not windowed: every user of the tenant by how many active passkeys they hold.
        var perUser = passkeys.GroupBy(p => p.UserId, StringComparer.Ordinal).Select(g => g.LongCount()).ToList();
        var distribution = new List<PasskeysPerUserBucket>
        {
            new("0", Math.Max(0, users - perUser.Count)),
            new("1", perUser.LongCount(n => n == 1)),
            new("2", perUser.LongCount(n => n == 2)),
            new("3", perUser.LongCount(n => n == 3)),
            new("4+", perUser.LongCount(n => n >= 4)),
        };
        var offered = rows.Where(r => r.Kind == FunnelKinds.Registration && r.AfterOffer).ToList();
        var converted = offered.LongCount(r => r.ServerOutcome == ServerOutcomes.Succeeded);
        return new AdoptionResponse(window.From, window.To, Share(window.To, rows, appSignIns, passkeys), byMethod, users, distribution,
            new SyncedSplit(passkeys.LongCount(p => p.Synced), passkeys.LongCount(p => !p.Synced)),
            new UpgradePromptConversion(offered.Count, converted, FailureReport.Rate(converted, offered.Count)));
    }
}

/// <summary>The other sign-in methods an app reports (<c>POST /v1/tenants/{tenant}/sign-ins</c>).</summary>
public static class SignInMethods
{
    /// <summary>A password.</summary>
    public const string Password = "password";
    /// <summary>A one-time code (SMS, e-mail, TOTP).</summary>
    public const string Otp = "otp";
    /// <summary>A social or federated login.</summary>
    public const string Social = "social";
    /// <summary>Anything else.</summary>
    public const string Other = "other";

    /// <summary>Every method the app may report.</summary>
    public static IReadOnlyList<string> All { get; } = [Password, Otp, Social, Other];
}
