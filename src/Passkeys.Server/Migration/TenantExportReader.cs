using System.Text.Json;
using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Storage;
using Passkeys.Server.Tenants;

namespace Passkeys.Server.Migration;

/// <summary>Reads this server's own export (<see cref="TenantExport"/>, format version 1) into an import plan.</summary>
internal static class TenantExportReader
{
    /// <summary>
    /// Into a new tenant (<paramref name="into"/> null: the file's settings, checked as the admin API
    /// checks them) or into an existing one, whose rpId must be the file's.
    /// </summary>
    public static ImportPlan Read(JsonField root, TenantRecord? into, TenantService tenants, JsonSerializerOptions json, DateTimeOffset now)
    {
        var version = root.Member("formatVersion");
        if (version.Value.ValueKind != JsonValueKind.Number || !version.Value.TryGetInt32(out var v) || v != TenantExport.CurrentVersion)
        {
            throw new ServerException(ServerError.ImportFormatUnknown,
                $"$.formatVersion: this server reads {TenantExport.FormatName} version {TenantExport.CurrentVersion}, not {version.Value.GetRawText()}.") { Path = version.Path };
        }
        var tenantField = root.Member("tenant");
        TenantRecord? created = null;
        TenantRecord target;
        if (into is null)
        {
            created = NewTenant(tenantField, tenants, json, now);
            target = created;
        }
        else
        {
            var rpId = tenantField.Member("rpId");
            if (!string.Equals(rpId.Text(253), into.RpId, StringComparison.OrdinalIgnoreCase))
            {
                throw rpId.Invalid($"is '{rpId.Value.GetString()}', but tenant '{into.Id}' has rpId '{into.RpId}'; passkeys work only for the rpId they were made for.");
            }
            target = into;
        }
        var users = root.Member("users").Items(ImportRules.MaxUsers).Select(u => User(u, target.Id, now)).ToList();
        return new ImportPlan(created, target, users);
    }

    private static TenantRecord NewTenant(JsonField tenant, TenantService tenants, JsonSerializerOptions json, DateTimeOffset now)
    {
        var id = tenant.Member("id").Text(64);
        TenantInput input;
        try
        {
            // The admin API's own contract: settings other helpers add to a tenant come along unchanged.
            input = tenant.Value.Deserialize<TenantInput>(json) ?? throw tenant.Invalid("must be an object.");
        }
        catch (JsonException e)
        {
            var path = "$.tenant" + (e.Path ?? "$").TrimStart('$');
            throw JsonField.Invalid(path, "is missing or of the wrong type for a tenant setting (see GET /v1/admin/tenants/{tenant}).");
        }
        var createdAt = tenant.Optional("createdAt")?.Time() ?? now;
        try
        {
            return tenants.FromInput(id, input with { Id = id }, createdAt);
        }
        catch (ServerException e)
        {
            // The tenant rules' own codes (1001, 1051, 1052, 1090, 1150–1152, …), placed in the file.
            throw new ServerException(e.Error, $"$.tenant: {e.Message}") { Path = tenant.Path };
        }
    }

    private static PlannedUser User(JsonField u, string tenantId, DateTimeOffset now)
    {
        var id = ImportRules.UserId(u.Member("id"));
        var handle = ImportRules.Handle(u.Member("handle"));
        var name = ImportRules.UserName(u.Member("name"));
        var displayName = u.Optional("displayName")?.Text(256) ?? name;
        var createdAt = u.Optional("createdAt")?.Time() ?? now;
        var credentials = (u.Optional("credentials")?.Items(ImportRules.MaxCredentialsPerUser) ?? [])
            .Select(c => new PlannedCredential(c.Path, Credential(c, tenantId, id, handle, now))).ToList();
        byte[]? defaultId = null;
        if (u.Optional("defaultCredentialId") is { } d)
        {
            defaultId = d.Bytes(1, 1023);
            if (!credentials.Any(c => c.Row.Id.AsSpan().SequenceEqual(defaultId)))
            {
                throw d.Invalid("is not one of this user's credentials.");
            }
        }
        return new PlannedUser(u.Path, new UserRecord(tenantId, id, handle, name, displayName, createdAt, defaultId), credentials);
    }

    private static CredentialRecordRow Credential(JsonField c, string tenantId, string userId, byte[] handle, DateTimeOffset now)
    {
        var id = c.Member("id").Bytes(1, 1023);
        var algorithm = c.Member("algorithm");
        var key = ImportRules.PublicKey(c.Member("publicKey"), algorithm.Number(int.MinValue, int.MaxValue), algorithm.Path);
        var backupEligible = c.Member("backupEligible").Bool();
        var backupState = c.Member("backupState");
        ImportRules.BackupFlags(backupEligible, backupState.Bool(), backupState.Path);
        var (status, reason, suspendedAt) = Status(c);
        return new CredentialRecordRow(tenantId, id, userId, handle, key.Encoded.ToArray(), (int)key.Algorithm,
            c.Member("signCount").Number(0, uint.MaxValue), c.Optional("uvInitialized")?.Bool() ?? false, backupEligible, backupState.Bool(),
            ImportRules.Transports(c.Optional("transports")), c.Optional("aaguid")?.Uuid() ?? Guid.Empty,
            c.Optional("attestationFormat")?.Text(32) ?? "none", c.Optional("attestationTrusted")?.Bool() ?? false,
            c.Optional("name")?.Text(64), c.Optional("createdAt")?.Time() ?? now, c.Optional("lastUsedAt")?.Time(),
            status, reason, suspendedAt, c.Optional("cloneSuspectedAt")?.Time(), AttestationType: c.Optional("attestationType")?.Text(16));
    }

    // active (no reason, no time) or suspended (with both), as the store keeps them.
    private static (string Status, string? Reason, DateTimeOffset? At) Status(JsonField c)
    {
        var status = c.Optional("status");
        var value = status?.Text(16) ?? CredentialStatus.Active;
        if (value == CredentialStatus.Active)
        {
            return (value, null, null);
        }
        if (value != CredentialStatus.Suspended)
        {
            throw status!.Value.Invalid($"must be '{CredentialStatus.Active}' or '{CredentialStatus.Suspended}'.");
        }
        return (value, c.Member("suspendedReason").Text(64), c.Member("suspendedAt").Time());
    }
}
