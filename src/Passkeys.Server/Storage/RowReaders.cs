using System.Data.Common;
using System.Text.Json;

namespace Passkeys.Server.Storage;

/// <summary>
/// Reads result rows into records, for every store. The column order is the one in the
/// <c>…Columns</c> constants of <see cref="SqlPasskeyStore"/>; the columns whose type differs per
/// database are read through <see cref="IColumnTypes"/>.
/// </summary>
internal sealed class RowReaders(IColumnTypes columns)
{
    public TenantRecord Tenant(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), ListFromJson(r.GetString(3)), ListFromJson(r.GetString(4)),
        r.GetString(5), r.GetString(6), columns.Bool(r, 7), columns.Time(r, 9), AlgorithmsOrNull(r, 8), r.GetString(10),
        Tenants.AttestationPolicySettings.FromJson(StringOrNull(r, 11)), NativeAppsOrNull(r, 12), Analytics.RolloutSettings.FromJson(StringOrNull(r, 13)));

    public UserRecord User(DbDataReader r) => User(r, 0);

    /// <summary>The user whose columns start at <paramref name="at"/> (a joined read: SqlPasskeyStore.StepReads.cs).</summary>
    public UserRecord User(DbDataReader r, int at) => new(
        r.GetString(at), r.GetString(at + 1), columns.Bytes(r, at + 2), r.GetString(at + 3), r.GetString(at + 4), columns.Time(r, at + 5),
        BytesOrNull(r, at + 6));

    public CredentialRecordRow Credential(DbDataReader r) => Credential(r, 0);

    /// <summary>The credential whose columns start at <paramref name="at"/> (a joined read: SqlPasskeyStore.StepReads.cs).</summary>
    public CredentialRecordRow Credential(DbDataReader r, int at) => new(
        r.GetString(at), columns.Bytes(r, at + 1), r.GetString(at + 2), columns.Bytes(r, at + 3), columns.Bytes(r, at + 4), r.GetInt32(at + 5),
        r.GetInt64(at + 6), columns.Bool(r, at + 7), columns.Bool(r, at + 8), columns.Bool(r, at + 9), ListFromJson(r.GetString(at + 10)),
        columns.Guid(r, at + 11), r.GetString(at + 12), columns.Bool(r, at + 13), StringOrNull(r, at + 14), columns.Time(r, at + 15),
        TimeOrNull(r, at + 16), r.GetString(at + 17), StringOrNull(r, at + 18), TimeOrNull(r, at + 19), TimeOrNull(r, at + 20), StringOrNull(r, at + 21));

    public CeremonyRecord Ceremony(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), (CeremonyKind)r.GetInt32(2), columns.Bytes(r, 3), StringOrNull(r, 4), StringOrNull(r, 5),
        columns.Time(r, 6), columns.Time(r, 7));

    public RecoveryCodeRecord RecoveryCode(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), columns.Bytes(r, 3), columns.Bytes(r, 4), columns.Time(r, 5), TimeOrNull(r, 6));

    public ApiKeyRecord ApiKey(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), columns.Bytes(r, 3), columns.Time(r, 4), TimeOrNull(r, 5));

    public SigningKeyRecord SigningKey(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), columns.Bytes(r, 3), columns.Time(r, 4), TimeOrNull(r, 5));

    public AuditEventRecord AuditEvent(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), columns.Time(r, 2), r.GetString(3), r.GetString(4), StringOrNull(r, 5), StringOrNull(r, 6), StringOrNull(r, 7),
        r.IsDBNull(8) ? null : r.GetInt32(8), StringOrNull(r, 9), StringOrNull(r, 10), StringOrNull(r, 11), StringOrNull(r, 12), StringOrNull(r, 13),
        r.IsDBNull(14) ? null : r.GetDouble(14),
        StringOrNull(r, 15), StringOrNull(r, 16), StringOrNull(r, 17), StringOrNull(r, 18), StringOrNull(r, 19), StringOrNull(r, 20));

    // Static: a group-by count has no column whose type differs.
    public static AuditCount AuditCount(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), StringOrNull(r, 2), StringOrNull(r, 3), r.GetInt64(4));

    private DateTimeOffset? TimeOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : columns.Time(r, i);
    public byte[]? BytesOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : columns.Bytes(r, i);
    public byte[] Bytes(DbDataReader r, int i) => columns.Bytes(r, i);
    private static string? StringOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    // A tenant's algorithms: a JSON array of COSE numbers, or NULL (the library default).
    private static IReadOnlyList<Passkeys.Cose.CoseAlgorithm>? AlgorithmsOrNull(DbDataReader r, int i) =>
        r.IsDBNull(i) ? null : [.. (JsonSerializer.Deserialize(r.GetString(i), StoreJson.Default.ListInt32) ?? []).Select(a => (Passkeys.Cose.CoseAlgorithm)a)];
    // A tenant's native apps: a JSON object, or NULL for none.
    private static Tenants.NativeApps.NativeAppSettings? NativeAppsOrNull(DbDataReader r, int i) =>
        r.IsDBNull(i) ? null : JsonSerializer.Deserialize(r.GetString(i), StoreJson.Default.NativeAppSettings);
    public static IReadOnlyList<string> ListFromJson(string json) => JsonSerializer.Deserialize(json, StoreJson.Default.IReadOnlyListString) ?? [];
}
