using System.Text.Json;

namespace Passkeys.Server.Storage;

/// <summary>
/// The parameters of the inserts and updates both stores run with the same names. Values stay
/// plain CLR values (DateTimeOffset, bool, Guid); <see cref="IColumnTypes.Parameter"/> converts them to
/// what its database keeps, so these lists are the same for SQLite and PostgreSQL.
/// </summary>
internal static class StoreParameters
{
    // created_at last, so an update can leave it out: a tenant's creation time never changes.
    // algorithms: a JSON array of COSE numbers, or NULL for the library default.
    public static (string, object?)[] Tenant(TenantRecord t) =>
    [
        ("@id", t.Id), ("@rp", t.RpId), ("@name", t.RpName), ("@o", JsonList(t.Origins)), ("@ro", JsonList(t.RelatedOrigins)),
        ("@uv", t.UserVerification), ("@att", t.Attestation), ("@ssu", t.SelfSignUp), ("@algs", AlgorithmList(t.Algorithms)), ("@at", t.CreatedAt),
        ("@cd", t.CloneDetection), ("@ap", t.AttestationPolicy?.ToJson()), ("@na", NativeApps(t.NativeApps)), ("@rollout", t.Rollout?.ToJson()),
    ];

    public static (string, object?)[] User(UserRecord u) =>
        [("@t", u.TenantId), ("@id", u.Id), ("@h", u.Handle), ("@n", u.Name), ("@nk", Security.Usernames.UsernameRules.Key(u.Name)), ("@dn", u.DisplayName), ("@at", u.CreatedAt)];

    public static (string, object?)[] Credential(CredentialRecordRow c) =>
    [
        ("@t", c.TenantId), ("@id", c.Id), ("@u", c.UserId), ("@uh", c.UserHandle), ("@pk", c.PublicKey),
        ("@alg", c.Algorithm), ("@sc", c.SignCount), ("@uv", c.UvInitialized), ("@be", c.BackupEligible),
        ("@bs", c.BackupState), ("@tr", JsonList(c.Transports)), ("@aaguid", c.Aaguid), ("@fmt", c.AttestationFormat),
        ("@trusted", c.AttestationTrusted), ("@name", c.Name), ("@at", c.CreatedAt), ("@used", c.LastUsedAt), ("@atype", c.AttestationType),
    ];

    public static (string, object?)[] Ceremony(CeremonyRecord c) =>
    [
        ("@t", c.TenantId), ("@id", c.Id), ("@k", (int)c.Kind), ("@s", c.State), ("@u", c.UserId),
        ("@d", c.Data), ("@at", c.CreatedAt), ("@exp", c.ExpiresAt),
    ];

    // Tenant and user come from the call, not the code: ReplaceRecoveryCodesAsync writes them for that user.
    public static (string, object?)[] RecoveryCode(string tenantId, string userId, RecoveryCodeRecord code) =>
    [
        ("@t", tenantId), ("@u", userId), ("@id", code.Id), ("@salt", code.Salt), ("@hash", code.Hash),
        ("@at", code.CreatedAt), ("@used", code.UsedAt),
    ];

    public static (string, object?)[] ApiKey(ApiKeyRecord k) =>
        [("@t", k.TenantId), ("@id", k.Id), ("@n", k.Name), ("@h", k.Hash), ("@at", k.CreatedAt), ("@rev", k.RevokedAt)];

    public static (string, object?)[] SigningKey(SigningKeyRecord k) =>
        [("@t", k.TenantId), ("@kid", k.KeyId), ("@alg", k.Algorithm), ("@pk", k.PrivateKey), ("@at", k.CreatedAt)];

    /// <summary>
    /// The audit row's values and the subscriber probe's: the event's webhook type, its family and
    /// the enabled flag (<c>SqlPasskeyStore.AppendAuditEventProbingSubscribersSql</c>). One array,
    /// written out: it is built twice per sign-in.
    /// </summary>
    public static (string, object?)[] AuditEventProbingSubscribers(AuditEventRecord e, string webhookType) =>
    [
        ("@t", e.TenantId), ("@at", e.At), ("@c", e.Ceremony), ("@o", e.Outcome), ("@cid", e.CeremonyId), ("@u", e.UserId), ("@cred", e.CredentialId),
        ("@ec", e.ErrorCode), ("@e", e.Error), ("@addr", e.ClientAddress), ("@ua", e.UserAgent), ("@b", e.Browser), ("@os", e.Os), ("@d", e.DurationMs),
        ("@ty", e.Type), ("@ak", e.ActorKind), ("@ai", e.ActorId), ("@tk", e.TargetKind), ("@ti", e.TargetId), ("@det", e.Details),
        ("@wty", webhookType), ("@wfam", SqlPasskeyStore.WebhookFamily(webhookType)), ("@on", True),
    ];

    private static readonly object True = true;

    private static string? AlgorithmList(IReadOnlyList<Passkeys.Cose.CoseAlgorithm>? algorithms) =>
        algorithms is null ? null : JsonSerializer.Serialize(algorithms.Select(a => (int)a).ToList(), StoreJson.Default.ListInt32);

    // native_apps: the tenant's nativeApps object as JSON, or NULL for none.
    private static string? NativeApps(Tenants.NativeApps.NativeAppSettings? apps) =>
        apps is null ? null : JsonSerializer.Serialize(apps, StoreJson.Default.NativeAppSettings);

    private static string JsonList(IReadOnlyList<string> values) => JsonSerializer.Serialize(values, StoreJson.Default.IReadOnlyListString);
}
