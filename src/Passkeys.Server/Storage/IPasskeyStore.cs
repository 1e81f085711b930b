namespace Passkeys.Server.Storage;

/// <summary>
/// Everything the server persists. One implementation per database (SQLite, PostgreSQL); all SQL
/// lives in the implementation. Every method is safe to call concurrently from several server
/// nodes sharing one database: the only read-modify-write sequences (consuming a ceremony,
/// spending a recovery code, adding a user with a credential) are single atomic statements or one
/// transaction.
/// </summary>
/// <remarks>
/// The change methods here write no audit event: the server's services make every change to an
/// account or a tenant through a step (<see cref="BeginStepAsync"/>, <c>AuditedChange.ChangeAsync</c>)
/// with its event in the same transaction; these stay for tests, tools and the step's own SQL.
/// Binary ids (credential ids, user handles) are compared byte for byte. Methods that take a
/// tenant id never return rows of another tenant. The contract is pinned by
/// <c>StoreContractTests</c> in the test project; a new implementation derives from it.
/// </remarks>
public partial interface IPasskeyStore
{
    /// <summary>Creates or upgrades the schema to the latest version (idempotent; safe at every start).</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>The schema version currently applied.</summary>
    Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>True when the database answers a trivial query; for readiness checks.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken = default);

    // Tenants
    /// <summary>Returns the tenant or null.</summary>
    Task<TenantRecord?> GetTenantAsync(string tenantId, CancellationToken cancellationToken = default);
    /// <summary>Lists all tenants ordered by id.</summary>
    Task<IReadOnlyList<TenantRecord>> ListTenantsAsync(CancellationToken cancellationToken = default);
    /// <summary>Inserts a tenant; false when the id exists (nothing changed).</summary>
    Task<bool> CreateTenantAsync(TenantRecord tenant, CancellationToken cancellationToken = default);
    /// <summary>Replaces a tenant's settings (not its creation time); false when it does not exist.</summary>
    Task<bool> UpdateTenantAsync(TenantRecord tenant, CancellationToken cancellationToken = default);
    /// <summary>Deletes a tenant and everything that belongs to it but its audit events (kept until the retention purge); false when it does not exist.</summary>
    Task<bool> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default);

    // Users
    /// <summary>Returns the user by the app's user id, or null.</summary>
    Task<UserRecord?> GetUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default);
    /// <summary>Returns the user by user name (exact match), or null.</summary>
    Task<UserRecord?> GetUserByNameAsync(string tenantId, string name, CancellationToken cancellationToken = default);
    /// <summary>Returns the user by WebAuthn user handle, or null.</summary>
    Task<UserRecord?> GetUserByHandleAsync(string tenantId, byte[] handle, CancellationToken cancellationToken = default);
    /// <summary>Lists up to <paramref name="limit"/> (at least 1) users ordered by id, starting after <paramref name="afterUserId"/>.</summary>
    Task<IReadOnlyList<UserRecord>> ListUsersAsync(string tenantId, string? afterUserId, int limit, CancellationToken cancellationToken = default);
    /// <summary>Creates a user without credentials (API-key registration of a known user); false when id or name exists.</summary>
    Task<bool> CreateUserAsync(UserRecord user, CancellationToken cancellationToken = default);
    /// <summary>Deletes a user with their credentials and recovery codes; false when absent.</summary>
    Task<bool> DeleteUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default);

    // Credentials
    /// <summary>
    /// Stores a credential, and with <paramref name="newUser"/> also its user, in one transaction:
    /// either both are written or nothing is. A credential id that exists anywhere is refused.
    /// </summary>
    Task<AddCredentialResult> AddCredentialAsync(CredentialRecordRow credential, UserRecord? newUser, CancellationToken cancellationToken = default);
    /// <summary>Looks a credential up by id within a tenant (indexed; O(1) in the number of users).</summary>
    Task<CredentialRecordRow?> GetCredentialAsync(string tenantId, byte[] credentialId, CancellationToken cancellationToken = default);
    /// <summary>Lists a user's credentials, oldest first.</summary>
    Task<IReadOnlyList<CredentialRecordRow>> ListCredentialsAsync(string tenantId, string userId, CancellationToken cancellationToken = default);
    /// <summary>Records a successful authentication: new counter, backup state, UV, last used.</summary>
    Task<bool> RecordCredentialUseAsync(string tenantId, byte[] credentialId, long signCount, bool backupState, bool uvInitialized, DateTimeOffset usedAt, CancellationToken cancellationToken = default);
    /// <summary>Sets or clears (null) the user-given name; false when the user has no such credential.</summary>
    Task<bool> RenameCredentialAsync(string tenantId, string userId, byte[] credentialId, string? name, CancellationToken cancellationToken = default);
    /// <summary>Deletes a credential of the user; false when the user has no such credential.</summary>
    Task<bool> DeleteCredentialAsync(string tenantId, string userId, byte[] credentialId, CancellationToken cancellationToken = default);
    /// <summary>Marks the credential as the user's default; false when the user has no such credential.</summary>
    Task<bool> SetDefaultCredentialAsync(string tenantId, string userId, byte[] credentialId, CancellationToken cancellationToken = default);
    /// <summary>
    /// Sets the user's credential active (clearing the suspension and any clone mark) or suspended
    /// with <paramref name="reason"/> at <paramref name="at"/>, revoking its sessions; false when the
    /// user has no such credential.
    /// </summary>
    Task<bool> SetCredentialStatusAsync(string tenantId, string userId, byte[] credentialId, string status, string? reason, DateTimeOffset at,
        CancellationToken cancellationToken = default);

    // Ceremonies (challenges)
    /// <summary>Stores a pending ceremony.</summary>
    Task SaveCeremonyAsync(CeremonyRecord ceremony, CancellationToken cancellationToken = default);
    /// <summary>
    /// Removes and returns the ceremony in one atomic statement (<c>DELETE … RETURNING</c>): of any
    /// number of concurrent callers, on any number of nodes, at most one gets it. Expired ceremonies
    /// are returned too (the caller reports them as expired); null when unknown, already consumed,
    /// or of another kind than <paramref name="kind"/> (which is then left in place, untouched).
    /// </summary>
    Task<CeremonyRecord?> ConsumeCeremonyAsync(string tenantId, string ceremonyId, CeremonyKind kind, CancellationToken cancellationToken = default);
    /// <summary>
    /// The tenant's ceremonies of <paramref name="kind"/> that have not expired at <paramref name="now"/>,
    /// oldest first, at most <paramref name="max"/> (for listing pending operator invitations).
    /// </summary>
    Task<IReadOnlyList<CeremonyRecord>> ListLiveCeremoniesAsync(string tenantId, CeremonyKind kind, DateTimeOffset now, int max, CancellationToken cancellationToken = default);
    /// <summary>
    /// Removes and returns up to <paramref name="max"/> ceremonies that expired before <paramref name="now"/>,
    /// and marks their funnel rows abandoned in the same transaction.
    /// </summary>
    Task<IReadOnlyList<CeremonyRecord>> PurgeExpiredCeremoniesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    // Recovery codes
    /// <summary>Replaces the user's recovery codes with a new set, in one transaction.</summary>
    Task ReplaceRecoveryCodesAsync(string tenantId, string userId, IReadOnlyList<RecoveryCodeRecord> codes, CancellationToken cancellationToken = default);
    /// <summary>The user's unused codes.</summary>
    Task<IReadOnlyList<RecoveryCodeRecord>> ListUnusedRecoveryCodesAsync(string tenantId, string userId, CancellationToken cancellationToken = default);
    /// <summary>Marks a code used; true only for the one caller that changed it from unused.</summary>
    Task<bool> SpendRecoveryCodeAsync(string tenantId, string userId, string codeId, DateTimeOffset usedAt, CancellationToken cancellationToken = default);

    // API keys
    /// <summary>Stores a new API key (its hash).</summary>
    Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default);
    /// <summary>Returns the key by its public id (any tenant), or null.</summary>
    Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken cancellationToken = default);
    /// <summary>Lists a tenant's keys, revoked ones included.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string tenantId, CancellationToken cancellationToken = default);
    /// <summary>Revokes a key; false when the tenant has no such key or it is already revoked.</summary>
    Task<bool> RevokeApiKeyAsync(string tenantId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);

    // Signing keys
    /// <summary>A tenant's signing keys, newest first.</summary>
    Task<IReadOnlyList<SigningKeyRecord>> ListSigningKeysAsync(string tenantId, CancellationToken cancellationToken = default);
    /// <summary>Adds a key as the active one and retires the previously active ones at its creation time.</summary>
    Task AddSigningKeyAsync(SigningKeyRecord key, CancellationToken cancellationToken = default);
    /// <summary>Deletes keys retired before <paramref name="retiredBefore"/>.</summary>
    Task<int> DeleteRetiredSigningKeysAsync(string tenantId, DateTimeOffset retiredBefore, CancellationToken cancellationToken = default);
    /// <summary>
    /// Replaces a key's stored private part (re-encrypted) when it still equals <paramref name="expected"/>;
    /// false when the key is gone or another node replaced it first.
    /// </summary>
    Task<bool> ReplaceSigningKeyMaterialAsync(string tenantId, string keyId, byte[] expected, byte[] replacement, CancellationToken cancellationToken = default);
    /// <summary>Deletes one signing key, active or retired; false when absent.</summary>
    Task<bool> DeleteSigningKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken = default);

    // Sessions (refresh-token families; see SessionRecords.cs). Deleting a credential, user or
    // tenant deletes its sessions (foreign keys with ON DELETE CASCADE).
    /// <summary>
    /// Stores a new session and its first refresh token (only its hash) in one transaction; false,
    /// with nothing written, when the session's user or credential no longer exists.
    /// </summary>
    Task<bool> CreateSessionAsync(SessionRecord session, byte[] refreshTokenHash, CancellationToken cancellationToken = default);
    /// <summary>
    /// Spends a refresh token and stores its successor, atomically: of any number of concurrent
    /// callers presenting the same token, on any number of nodes, exactly one gets
    /// <see cref="RefreshOutcome.Rotated"/>. A token that was already spent revokes its whole
    /// session (<see cref="RefreshOutcome.Reused"/>). A rotation moves the session's idle end to
    /// <paramref name="idleExpiresAt"/> (never past its absolute end) and its last use to <paramref name="now"/>.
    /// Exception, for a refresh whose response was lost: a spent token presented again within
    /// <paramref name="reuseGrace"/> of its spending, when it is the session's most recently spent
    /// token and its successor is the only unspent one and was never presented, is a retry: the
    /// successor is spent (it was never delivered) and <paramref name="newHash"/> stored, so the
    /// session keeps one live token (<see cref="RefreshOutcome.Rotated"/>). Each rotation allows one
    /// retry. Zero (the default) disables the grace. <paramref name="reuseEvents"/> gives the audit
    /// events of a reuse (given the revoked session), written in the revocation's transaction.
    /// </summary>
    Task<RefreshResult> RotateRefreshTokenAsync(string tenantId, byte[] presentedHash, byte[] newHash, DateTimeOffset now, DateTimeOffset idleExpiresAt,
        TimeSpan reuseGrace = default, Func<SessionRecord, IReadOnlyList<AuditEventRecord>>? reuseEvents = null, CancellationToken cancellationToken = default);
    /// <summary>The session a refresh token (spent or not) belongs to, or null.</summary>
    Task<SessionRecord?> FindSessionByRefreshTokenAsync(string tenantId, byte[] refreshTokenHash, CancellationToken cancellationToken = default);
    /// <summary>The session, whatever its state, or null.</summary>
    Task<SessionRecord?> GetSessionAsync(string tenantId, string sessionId, CancellationToken cancellationToken = default);
    /// <summary>The user's sessions that are active at <paramref name="now"/>, most recently used first.</summary>
    Task<IReadOnlyList<SessionRecord>> ListActiveSessionsAsync(string tenantId, string userId, DateTimeOffset now, CancellationToken cancellationToken = default);
    /// <summary>Revokes a session (all its tokens); true only for the caller that changed it from not revoked.</summary>
    Task<bool> RevokeSessionAsync(string tenantId, string sessionId, DateTimeOffset revokedAt, string reason, CancellationToken cancellationToken = default);
    /// <summary>
    /// Marks an active session used at <paramref name="usedAt"/> and moves its idle end to
    /// <paramref name="idleExpiresAt"/> (capped at its absolute end), without rotating its token
    /// (operator console sessions: one cookie for the whole session). False, with nothing changed,
    /// when the session is unknown, revoked, or already past its idle or absolute end at <paramref name="usedAt"/>:
    /// an ended session is never revived.
    /// </summary>
    Task<bool> TouchSessionAsync(string tenantId, string sessionId, DateTimeOffset usedAt, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken = default);
    /// <summary>Deletes up to <paramref name="max"/> sessions (with their tokens) that ended (idle, absolute or revoked) before <paramref name="endedBefore"/>.</summary>
    Task<int> PurgeEndedSessionsAsync(DateTimeOffset endedBefore, int max, CancellationToken cancellationToken = default);

    // Change notices for the caches of tenants and signing keys
    /// <summary>
    /// Raised after a tenant or its signing keys changed: at once for this store's own writes, and
    /// (PostgreSQL, while <see cref="ListenForChangesAsync"/> runs) for those of every other node.
    /// </summary>
    StoreChanges Changes { get; }
    /// <summary>
    /// Relays other nodes' change notices into <see cref="Changes"/> until cancelled, reconnecting
    /// after errors (raising <see cref="StoreChangeKind.Everything"/> whenever notices may have been
    /// missed). PostgreSQL: LISTEN/NOTIFY. SQLite: no notices between processes; returns at once.
    /// </summary>
    Task ListenForChangesAsync(CancellationToken cancellationToken);

    // Ceremony steps
    /// <summary>
    /// Opens the unit of work of one ceremony step: one connection, and every write of the step in
    /// one transaction committed once (see <see cref="IStoreStep"/>). Dispose it when the step ends.
    /// </summary>
    Task<IStoreStep> BeginStepAsync(CancellationToken cancellationToken = default);

    // Audit
    /// <summary>Appends an event (its <see cref="AuditEventRecord.Id"/> is assigned by the store).</summary>
    Task AppendAuditEventAsync(AuditEventRecord auditEvent, CancellationToken cancellationToken = default);
    /// <summary>Up to <see cref="AuditQuery.Limit"/> (at least 1, never clamped) events matching the query, newest first.</summary>
    Task<IReadOnlyList<AuditEventRecord>> QueryAuditEventsAsync(AuditQuery query, CancellationToken cancellationToken = default);
    /// <summary>
    /// Deletes up to <paramref name="max"/> of the oldest events (by id) recorded before <paramref name="before"/>, in one
    /// short transaction; returns how many. Only the oldest <paramref name="max"/> rows by id are examined, so
    /// a call costs the same on a table of any size (ids grow with time; a straggler waits for the next purge).
    /// </summary>
    Task<int> PurgeAuditEventsAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default);
    /// <summary>Event counts grouped by ceremony, outcome, browser and OS, for funnels and failure rates.</summary>
    Task<IReadOnlyList<AuditCount>> CountAuditEventsAsync(string tenantId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default);
}
