namespace Passkeys.Server.OperatorConsole;

/// <summary>
/// <c>Passkeys:Console</c>: how long operator sessions and enrolment links live. An operator
/// session can change every tenant, so it ends soon after the operator stops using it.
/// </summary>
public sealed class ConsoleOptions
{
    /// <summary>
    /// An operator session ends when not used for this long (default 15 minutes; 1 minute to
    /// 12 hours). Every request the console makes moves the end forward, never past <see cref="SessionLifetime"/>.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>An operator session ends this long after sign-in, however busy (default 8 hours; at most 7 days).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>An enrolment link (bootstrap or invitation) expires after this long (default 24 hours; 5 minutes to 7 days).</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Every problem with the values, as configuration messages.</summary>
    public IEnumerable<string> Problems()
    {
        if (IdleTimeout < TimeSpan.FromMinutes(1) || IdleTimeout > TimeSpan.FromHours(12))
        {
            yield return "Passkeys:Console:IdleTimeout must be between 00:01:00 and 12:00:00.";
        }
        if (SessionLifetime < IdleTimeout || SessionLifetime > TimeSpan.FromDays(7))
        {
            yield return "Passkeys:Console:SessionLifetime must be at least Passkeys:Console:IdleTimeout and at most 7.00:00:00.";
        }
        if (InvitationLifetime < TimeSpan.FromMinutes(5) || InvitationLifetime > TimeSpan.FromDays(7))
        {
            yield return "Passkeys:Console:InvitationLifetime must be between 00:05:00 and 7.00:00:00.";
        }
    }
}
