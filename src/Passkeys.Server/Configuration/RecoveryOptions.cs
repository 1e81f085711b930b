namespace Passkeys.Server.Configuration;

/// <summary>
/// Per-account budgets for recovery codes (<c>Passkeys:Recovery</c>), counted in the store so that
/// they hold across every node sharing it; see docs/operations.md, "Security".
/// </summary>
public sealed class RecoveryOptions
{
    /// <summary>Recovery-code redeem attempts per username per <see cref="AttemptWindow"/> (default 5).</summary>
    public int AttemptsPerAccount { get; set; } = 5;
    /// <summary>The fixed window for <see cref="AttemptsPerAccount"/> (default 15 minutes).</summary>
    public TimeSpan AttemptWindow { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>New sets of recovery codes per user per <see cref="GenerationWindow"/> (default 5).</summary>
    public int GenerationsPerAccount { get; set; } = 5;
    /// <summary>The fixed window for <see cref="GenerationsPerAccount"/> (default 1 hour).</summary>
    public TimeSpan GenerationWindow { get; set; } = TimeSpan.FromHours(1);
}
