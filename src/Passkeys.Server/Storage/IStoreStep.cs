namespace Passkeys.Server.Storage;

/// <summary>
/// The database work of one ceremony step (a begin or a finish), or of one change to an account or
/// a tenant with its audit event: one connection for all of it, and
/// all its writes in one transaction committed once, so that a step is written whole or not at all
/// (a process killed at any point leaves either nothing or everything: the consumed ceremony, the
/// credential update, the session and the audit event together).
/// </summary>
/// <remarks>
/// Reads run on the step's connection as they come; the first write opens the transaction (on
/// SQLite a turn on the database's writer connection and a savepoint in its group transaction, held
/// until commit or rollback: Sqlite/SqliteWriter.cs), so the CPU work between the reads and the
/// writes (verifying a signature) holds no lock. Once a step has written, its reads run where its
/// writes are. <see cref="CommitAsync"/> returns once the writes are committed. Disposing an
/// uncommitted step rolls its writes back. After a write that reports a refusal (a result other
/// than <see cref="AddCredentialResult.Added"/>, a false from <see cref="CreateSessionAsync"/>),
/// the transaction may already be aborted (PostgreSQL): roll back before writing again. After
/// <see cref="RollbackAsync"/> or <see cref="CommitAsync"/> the step may write again in a new
/// transaction (the failure path of a finish: roll back, then consume the ceremony and write the
/// failure event in one commit). Not thread-safe: one step belongs to one request.
/// </remarks>
public interface IStoreStep : IAsyncDisposable
{
    // Reads
    /// <summary>The ceremony, without consuming it, or null.</summary>
    Task<CeremonyRecord?> GetCeremonyAsync(string tenantId, string ceremonyId, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.GetCredentialAsync"/>.</summary>
    Task<CredentialRecordRow?> GetCredentialAsync(string tenantId, byte[] credentialId, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.ListCredentialsAsync"/>.</summary>
    Task<IReadOnlyList<CredentialRecordRow>> ListCredentialsAsync(string tenantId, string userId, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.GetUserAsync"/>.</summary>
    Task<UserRecord?> GetUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.GetUserByNameAsync"/>.</summary>
    Task<UserRecord?> GetUserByNameAsync(string tenantId, string name, CancellationToken cancellationToken = default);
    /// <summary>
    /// The credential (<see cref="GetCredentialAsync"/>) and the user it belongs to, in one statement
    /// (a join): null when the tenant has no credential with this id; <see cref="CredentialWithUser.User"/>
    /// null when the user's row is missing.
    /// </summary>
    Task<CredentialWithUser?> GetCredentialWithUserAsync(string tenantId, byte[] credentialId, CancellationToken cancellationToken = default);
    /// <summary>
    /// The user with this name (<see cref="GetUserByNameAsync"/>) and the id and transports of each of
    /// their credentials (<see cref="ListCredentialsAsync"/>, in its order), in one statement (a join)
    /// that reads only those columns; null when the tenant has no such user.
    /// </summary>
    Task<AllowCredentials?> GetAllowCredentialsByNameAsync(string tenantId, string name, CancellationToken cancellationToken = default);
    /// <summary>
    /// The ceremony (<see cref="GetCeremonyAsync"/>, not consumed) with the credential a response to it
    /// names and that credential's user (<see cref="GetCredentialWithUserAsync"/>), in one statement:
    /// what an assertion's finish reads before verifying. Null when the ceremony is unknown.
    /// </summary>
    Task<CeremonyWithCredential?> GetCeremonyWithCredentialAsync(string tenantId, string ceremonyId, byte[] credentialId, CancellationToken cancellationToken = default);

    // Writes, in the step's transaction
    /// <summary>See <see cref="IPasskeyStore.SaveCeremonyAsync"/>.</summary>
    Task SaveCeremonyAsync(CeremonyRecord ceremony, CancellationToken cancellationToken = default);
    /// <summary>
    /// Removes and returns the ceremony when it is of <paramref name="kind"/> (<c>DELETE … RETURNING</c>):
    /// of concurrent steps on any node, at most one gets it, and only that one can commit a
    /// success. A ceremony of another kind is left alone; null when unknown or already consumed.
    /// </summary>
    Task<CeremonyRecord?> ConsumeCeremonyAsync(string tenantId, string ceremonyId, CeremonyKind kind, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.AddCredentialAsync"/>; roll back on any result but <see cref="AddCredentialResult.Added"/>.</summary>
    Task<AddCredentialResult> AddCredentialAsync(CredentialRecordRow credential, UserRecord? newUser, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.RecordCredentialUseAsync"/>.</summary>
    Task<bool> RecordCredentialUseAsync(string tenantId, byte[] credentialId, long signCount, bool backupState, bool uvInitialized, DateTimeOffset usedAt,
        CancellationToken cancellationToken = default);
    /// <summary>
    /// Suspends an active credential and revokes its sessions (false when it is unknown or already
    /// suspended: the first suspension's reason and time stand).
    /// </summary>
    Task<bool> SuspendCredentialAsync(string tenantId, byte[] credentialId, string reason, DateTimeOffset at, CancellationToken cancellationToken = default);
    /// <summary>Marks a credential as a suspected clone (<c>clone_suspected_at</c>) without suspending it; the first mark's time stands.</summary>
    Task<bool> FlagCloneSuspectedAsync(string tenantId, byte[] credentialId, DateTimeOffset at, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.CreateSessionAsync"/>; roll back when it returns false.</summary>
    Task<bool> CreateSessionAsync(SessionRecord session, byte[] refreshTokenHash, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.AppendAuditEventAsync"/>.</summary>
    Task AppendAuditEventAsync(AuditEventRecord auditEvent, CancellationToken cancellationToken = default);

    // Changes to an account or a tenant (Storage/SqlPasskeyStore.StepChanges.cs): the caller appends
    // the change's audit event in the same step and commits once, so neither exists without the other.
    // A change that returns false changed nothing: write no event for it.
    /// <summary>See <see cref="IPasskeyStore.GetTenantAsync"/>.</summary>
    Task<TenantRecord?> GetTenantAsync(string tenantId, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.RenameCredentialAsync"/>.</summary>
    Task<bool> RenameCredentialAsync(string tenantId, string userId, byte[] credentialId, string? name, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.DeleteCredentialAsync"/>.</summary>
    Task<bool> DeleteCredentialAsync(string tenantId, string userId, byte[] credentialId, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.SetDefaultCredentialAsync"/>.</summary>
    Task<bool> SetDefaultCredentialAsync(string tenantId, string userId, byte[] credentialId, CancellationToken cancellationToken = default);
    /// <summary>
    /// Suspends the user's active credential with <paramref name="reason"/> (revoking its sessions), or
    /// reinstates a suspended or flagged one (<see cref="CredentialStatus.Active"/>); true only when
    /// it changed: false when the user has no such credential or it is already in that state.
    /// </summary>
    Task<bool> ChangeCredentialStatusAsync(string tenantId, string userId, byte[] credentialId, string status, string? reason, DateTimeOffset at,
        CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.ReplaceRecoveryCodesAsync"/>.</summary>
    Task ReplaceRecoveryCodesAsync(string tenantId, string userId, IReadOnlyList<RecoveryCodeRecord> codes, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.SpendRecoveryCodeAsync"/>.</summary>
    Task<bool> SpendRecoveryCodeAsync(string tenantId, string userId, string codeId, DateTimeOffset usedAt, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.RevokeSessionAsync"/>.</summary>
    Task<bool> RevokeSessionAsync(string tenantId, string sessionId, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.DeleteUserAsync"/>.</summary>
    Task<bool> DeleteUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.CreateTenantAsync"/>; the caches hear of it once the step commits.</summary>
    Task<bool> CreateTenantAsync(TenantRecord tenant, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.UpdateTenantAsync"/>; the caches hear of it once the step commits.</summary>
    Task<bool> UpdateTenantAsync(TenantRecord tenant, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.DeleteTenantAsync"/> (the tenant's audit events are kept); the caches hear of it once the step commits.</summary>
    Task<bool> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.CreateApiKeyAsync"/>.</summary>
    Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.RevokeApiKeyAsync"/>.</summary>
    Task<bool> RevokeApiKeyAsync(string tenantId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);
    /// <summary>See <see cref="IPasskeyStore.AddSigningKeyAsync"/>; the caches hear of it once the step commits.</summary>
    Task AddSigningKeyAsync(SigningKeyRecord key, CancellationToken cancellationToken = default);
    /// <summary>
    /// See <see cref="IPasskeyStore.PurgeExpiredCeremoniesAsync"/>: the funnel rows of the ceremonies
    /// purged are marked abandoned in the step's transaction; the caller appends their <c>abandoned</c>
    /// events in the same step.
    /// </summary>
    Task<IReadOnlyList<CeremonyRecord>> PurgeExpiredCeremoniesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);
    /// <summary>The time the app was last told to offer the user a passkey (<see cref="IPasskeyStore.RecordPasskeyOfferAsync"/>), or null.</summary>
    Task<DateTimeOffset?> GetPasskeyOfferAsync(string tenantId, string userId, CancellationToken cancellationToken = default);
    /// <summary>Writes a begun ceremony's funnel row (docs/analytics.md), in the step's transaction.</summary>
    Task RecordCeremonyBegunAsync(CeremonyOutcomeRecord outcome, CancellationToken cancellationToken = default);
    /// <summary>
    /// Sets the server outcome of a ceremony's funnel row, in the step's transaction; false when the
    /// row is unknown or already has an outcome other than abandoned (the first answer stands; an
    /// abandonment is replaced, which only a node of an older version can cause: its purge marked
    /// open rows by their expiry, while a finish begun just before it could still commit).
    /// </summary>
    Task<bool> RecordCeremonyFinishedAsync(string tenantId, string ceremonyId, CeremonyFinish finish, CancellationToken cancellationToken = default);
    /// <summary>
    /// Marks a ceremony's funnel row abandoned (the user did not answer in time: a finish that came
    /// after the expiry consumed it, so the purge will not find it), in the step's transaction;
    /// false when the row is unknown or already has a server outcome.
    /// </summary>
    Task<bool> RecordCeremonyAbandonedAsync(string tenantId, string ceremonyId, CancellationToken cancellationToken = default);

    /// <summary>Commits the writes so far (nothing to do when there were none).</summary>
    Task CommitAsync(CancellationToken cancellationToken = default);
    /// <summary>Discards the writes so far (nothing to do when there were none).</summary>
    Task RollbackAsync(CancellationToken cancellationToken = default);
}
