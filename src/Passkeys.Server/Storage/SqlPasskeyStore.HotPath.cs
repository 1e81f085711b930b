namespace Passkeys.Server.Storage;

// The statements of a ceremony step's hot path, by name, for the query-plan tests: each must find
// its row by the key it is written for on any store, including a PostgreSQL table that was never
// analyzed (docs/operations.md, "PostgreSQL").
public abstract partial class SqlPasskeyStore
{
    /// <summary>
    /// Every statement the begin and finish of sign-in and registration run, and those of a
    /// refresh, as this store sends them (with its own row locks): named for what they do.
    /// </summary>
    internal IReadOnlyDictionary<string, string> HotPathStatements => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Reads of the steps (StepReads.cs and the step's own).
        ["allow credentials by name"] = GetAllowCredentialsByNameSql,
        ["credential with user"] = GetCredentialWithUserSql,
        ["ceremony with credential"] = GetCeremonyWithCredentialSql,
        ["ceremony"] = GetCeremonySql,
        ["user"] = GetUserSql,
        ["user by name"] = GetUserByNameSql,
        ["credentials of user"] = ListCredentialsSql,
        ["passkey offer"] = GetOfferSql,
        // Writes of the steps.
        ["ceremony insert"] = SaveCeremonySql,
        ["ceremony consume"] = ConsumeCeremonySql,
        ["new user insert"] = InsertNewUserSql,
        ["credential insert"] = InsertCredentialSql,
        ["credential use"] = RecordCredentialUseSql,
        ["funnel row insert"] = InsertOutcomeSql,
        ["funnel row finish"] = FinishOutcomeSql,
        ["session insert"] = InsertSessionSql,
        ["refresh token insert"] = InsertSessionTokenSql,
        ["audit insert"] = AppendAuditEventProbingSubscribersSql,
        // A refresh (RotateRefreshTokenAsync) and the session reads beside it.
        ["refresh token with session"] = TokenJoin + LockRows("t, s"),
        ["successor tokens"] = FindSuccessorTokensSql + LockRows("t"),
        ["refresh token spend"] = SpendSessionTokenSql,
        ["session refresh"] = RecordSessionRefreshSql,
        ["session by refresh token"] = TokenJoin,
        ["session"] = GetSessionSql,
    };
}
