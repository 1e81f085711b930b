using System.Data.Common;
using Passkeys.Server.Security.Usernames;

namespace Passkeys.Server.Storage;

// Usernames are found by their comparison key (UsernameRules.Key), unique per tenant.
public abstract partial class SqlPasskeyStore
{
    /// <summary>
    /// Gives every user without a <c>name_key</c> (rows from before the key existed) its key, inside
    /// the migration's transaction. Users are taken oldest first, per tenant: the first keeps its
    /// name; a later user whose key is already taken (ALICE after alice) is renamed to
    /// <c>name~2</c> (or ~3, …) and an audit event says so. Nothing is deleted and every user can
    /// still sign in with a passkey (usernameless sign-in does not use the name).
    /// </summary>
    private protected async Task BackfillNameKeysAsync(DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        // The usual start: every row has its key, and the users are not read.
        if (await ScalarAsync(connection, tx, "SELECT 1 FROM users WHERE name_key IS NULL LIMIT 1", ct).ConfigureAwait(false) is null)
        {
            return;
        }
        var pending = new List<(string Tenant, string Id, string Name)>();
        var takenKeys = new HashSet<(string, string)>();
        var takenNames = new HashSet<(string, string)>();
        await using (var command = Command(connection, tx, "SELECT tenant_id, id, name, name_key FROM users ORDER BY tenant_id, created_at, id"))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var (tenant, id, name) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                takenNames.Add((tenant, name));
                if (reader.IsDBNull(3))
                {
                    pending.Add((tenant, id, name));
                }
                else
                {
                    takenKeys.Add((tenant, reader.GetString(3)));
                }
            }
        }
        foreach (var (tenant, id, name) in pending)
        {
            var key = UsernameRules.Key(name);
            if (takenKeys.Add((tenant, key)))
            {
                await ExecuteAsync(connection, tx, "UPDATE users SET name_key = @k WHERE tenant_id = @t AND id = @id", ct,
                    ("@k", key), ("@t", tenant), ("@id", id)).ConfigureAwait(false);
                continue;
            }
            string renamed;
            var n = 2;
            do
            {
                renamed = $"{name}~{n++}";
                key = UsernameRules.Key(renamed);
            }
            while (takenNames.Contains((tenant, renamed)) || takenKeys.Contains((tenant, key)));
            takenNames.Add((tenant, renamed));
            takenKeys.Add((tenant, key));
            await ExecuteAsync(connection, tx, "UPDATE users SET name = @n, name_key = @k WHERE tenant_id = @t AND id = @id", ct,
                ("@n", renamed), ("@k", key), ("@t", tenant), ("@id", id)).ConfigureAwait(false);
            var note = Observability.SafeText.Escape(
                $"username-renamed: '{name}' matched an older user's name once case and look-alike forms are compared; renamed to '{renamed}'",
                Observability.SafeText.MaxAuditLength);
            await WriteAuditEventAsync(connection, tx, new AuditEventRecord(0, tenant, DateTimeOffset.UtcNow, "user", "renamed", null, id, null,
                (int)Errors.ServerError.UsernameTaken, note, null, null, null, null, null,
                Observability.AuditTypes.UserRenamed, Observability.AuditActor.System.Kind, null, "user", id), ct).ConfigureAwait(false);
        }
    }
}
