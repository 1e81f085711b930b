namespace Passkeys.Server.Storage;

// Rows a ceremony step needs together, read in one statement (a join) instead of one statement per
// row: each statement on a step's connection costs its own command, parameter binding and read
// transaction (on SQLite, a WAL snapshot taken and released; on PostgreSQL, a round trip), and each
// column read its own calls into SQLite, so these read only the columns their step uses where a
// whole record is not needed. (The pages read stay the same: docs/benchmarks.md, "Fewer reads per
// step".) One statement also reads the rows from one snapshot: the user is the one the credential
// named when it was read.
//
// The tenant of a credential is compared with IS NOT DISTINCT FROM, not "=" (the same rows: neither
// side is ever NULL): PostgreSQL carries an "=" to a constant on to every column joined to it, and
// then, on tables never analyzed, searches the joined user by the tenant alone, walking the tenant's
// users, instead of by the user's key (PostgresHotPathPlanTests). The credential is found by its id,
// its whole key, either way; SQLite plans both spellings alike.
public abstract partial class SqlPasskeyStore
{
    private static readonly int CredentialColumnCount = CredentialReadColumns.Split(", ").Length;

    /// <summary>The credential's columns (as <see cref="GetCredentialSql"/>), then its user's (as <see cref="GetUserSql"/>; NULL when the row is missing).</summary>
    internal static readonly string GetCredentialWithUserSql =
        $"SELECT {Qualified("c", CredentialReadColumns)}, {Qualified("u", UserColumns)} FROM credentials c " +
        "LEFT JOIN users u ON u.tenant_id = c.tenant_id AND u.id = c.user_id WHERE c.id = @id AND c.tenant_id IS NOT DISTINCT FROM @t";

    /// <summary>
    /// The user (as <see cref="GetUserByNameSql"/> finds them), then one credential (in the order of
    /// <see cref="ListCredentialsSql"/>): one row per credential, or one row with NULL credential
    /// columns when the user has none. Only the columns <c>allowCredentials</c> needs: every column
    /// read costs its own calls into SQLite, and the full rows were most of this read's cost.
    /// </summary>
    internal const string GetAllowCredentialsByNameSql =
        "SELECT u.id, u.default_credential_id, c.id, c.transports FROM users u " +
        "LEFT JOIN credentials c ON c.tenant_id = u.tenant_id AND c.user_id = u.id WHERE u.tenant_id = @t AND u.name_key = @k ORDER BY c.created_at, c.id";

    private static readonly int CeremonyColumnCount = CeremonyColumns.Split(", ").Length;

    /// <summary>
    /// The ceremony's columns (as <see cref="GetCeremonyAsync"/> reads them), then those of
    /// <see cref="GetCredentialWithUserSql"/> for the credential named (NULL when there is none).
    /// </summary>
    internal static readonly string GetCeremonyWithCredentialSql =
        $"SELECT {Qualified("e", CeremonyColumns)}, {Qualified("c", CredentialReadColumns)}, {Qualified("u", UserColumns)} FROM ceremonies e " +
        "LEFT JOIN credentials c ON c.id = @cid AND c.tenant_id IS NOT DISTINCT FROM e.tenant_id " +
        "LEFT JOIN users u ON u.tenant_id = c.tenant_id AND u.id = c.user_id WHERE e.tenant_id = @t AND e.id = @id";

    /// <summary>The joined reads, for the query-plan tests.</summary>
    internal static IReadOnlyList<string> StepReadStatements => [GetCredentialWithUserSql, GetAllowCredentialsByNameSql, GetCeremonyWithCredentialSql];

    // "a, b" → "x.a, x.b": the shared column lists, each column named by its table's alias.
    private static string Qualified(string alias, string columns) => string.Join(", ", columns.Split(", ").Select(c => alias + "." + c));

    private sealed partial class Step
    {
        public async Task<CredentialWithUser?> GetCredentialWithUserAsync(string tenantId, byte[] credentialId, CancellationToken cancellationToken = default)
        {
            using var _ = store.Measure("Step.GetCredentialWithUser");
            var rows = store.Rows;
            return await SingleAsync(GetCredentialWithUserSql,
                r => new CredentialWithUser(rows.Credential(r), r.IsDBNull(CredentialColumnCount) ? null : rows.User(r, CredentialColumnCount)),
                cancellationToken, ("@id", credentialId), ("@t", tenantId)).ConfigureAwait(false);
        }

        public async Task<CeremonyWithCredential?> GetCeremonyWithCredentialAsync(string tenantId, string ceremonyId, byte[] credentialId,
            CancellationToken cancellationToken = default)
        {
            using var _ = store.Measure("Step.GetCeremonyWithCredential");
            var rows = store.Rows;
            return await SingleAsync(GetCeremonyWithCredentialSql, r => new CeremonyWithCredential(rows.Ceremony(r), r.IsDBNull(CeremonyColumnCount + 1) ? null
                    : new CredentialWithUser(rows.Credential(r, CeremonyColumnCount),
                        r.IsDBNull(CeremonyColumnCount + CredentialColumnCount) ? null : rows.User(r, CeremonyColumnCount + CredentialColumnCount))),
                cancellationToken, ("@t", tenantId), ("@id", ceremonyId), ("@cid", credentialId)).ConfigureAwait(false);
        }

        public async Task<AllowCredentials?> GetAllowCredentialsByNameAsync(string tenantId, string name, CancellationToken cancellationToken = default)
        {
            using var _ = store.Measure("Step.GetAllowCredentialsByName");
            await using var command = store.Command(Connection, Tx, GetAllowCredentialsByNameSql,
                ("@t", tenantId), ("@k", Security.Usernames.UsernameRules.Key(name)));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            AllowCredentials? found = null;
            var credentials = new List<Passkeys.Ceremonies.CredentialDescriptor>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found ??= new AllowCredentials(reader.GetString(0), store.Rows.BytesOrNull(reader, 1), credentials);
                // A credential's id is never NULL: a NULL there is the LEFT JOIN's row of a user with none.
                if (!reader.IsDBNull(2))
                {
                    credentials.Add(new Passkeys.Ceremonies.CredentialDescriptor(store.Rows.Bytes(reader, 2), RowReaders.ListFromJson(reader.GetString(3))));
                }
            }
            return found;
        }
    }
}
