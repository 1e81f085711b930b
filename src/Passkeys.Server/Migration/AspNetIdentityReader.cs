using Passkeys.Server.Storage;

namespace Passkeys.Server.Migration;

/// <summary>
/// Reads passkeys stored by ASP.NET Core Identity (format <c>aspnetcore-identity</c>): its users
/// (<c>AspNetUsers</c>: <c>Id</c>, <c>UserName</c>) and its passkey table (<c>AspNetUserPasskeys</c>,
/// <c>IdentityUserPasskey&lt;TKey&gt;</c>: <c>UserId</c>, <c>CredentialId</c>, <c>PublicKey</c>, <c>Name</c>,
/// <c>CreatedAt</c>, <c>SignCount</c>, <c>Transports</c>, <c>IsUserVerified</c>, <c>IsBackupEligible</c>,
/// <c>IsBackedUp</c>, <c>AttestationObject</c>, <c>ClientDataJson</c>), one object per row. The fields
/// may also sit in a <c>data</c> object (the earlier shape, <c>IdentityPasskeyData</c> in one JSON
/// column). Members match in any case; bytes are base64 or base64url. docs/export-format.md shows
/// how to write such a file from the database.
/// </summary>
internal static class AspNetIdentityReader
{
    public const string FormatName = "aspnetcore-identity";

    public static ImportPlan Read(JsonField root, TenantRecord into, DateTimeOffset now)
    {
        root = root with { IgnoreCase = true };
        var users = ForeignUsers.Read(root, "userName", now);
        var credentials = root.Member("passkeys").Items(ImportRules.MaxUsers * 4).Select(p => Passkey(p, into, users, now)).ToList();
        return new ImportPlan(null, into, ForeignUsers.Plan(into.Id, users, credentials));
    }

    private static PlannedCredential Passkey(JsonField row, TenantRecord into, IReadOnlyList<ForeignUsers.Entry> users, DateTimeOffset now)
    {
        var userIdField = row.Member("userId");
        // Identity's key type may be a string or a number (IdentityUser<int>): either spells the id.
        var userId = userIdField.Value.ValueKind == System.Text.Json.JsonValueKind.Number ? userIdField.Value.GetRawText() : userIdField.Text(128);
        var user = users.FirstOrDefault(u => u.Id == userId) ?? throw userIdField.Invalid($"names no user of $.users ('{userId}').");
        var id = row.Member("credentialId").Bytes(1, 1023);
        var data = row.Optional("data") ?? row;
        var key = ImportRules.PublicKey(data.Member("publicKey"), null, "");
        var backupEligible = data.Optional("isBackupEligible")?.Bool() ?? false;
        var backedUp = data.Optional("isBackedUp");
        ImportRules.BackupFlags(backupEligible, backedUp?.Bool() ?? false, backedUp?.Path ?? "");
        var facts = ImportRules.FromAttestationObject(data.Optional("attestationObject"), into.RpId, id);
        return new PlannedCredential(row.Path, new CredentialRecordRow(into.Id, id, user.Id, user.Handle, key.Encoded.ToArray(), (int)key.Algorithm,
            data.Optional("signCount")?.Number(0, uint.MaxValue) ?? 0, data.Optional("isUserVerified")?.Bool() ?? facts?.UserVerified ?? false,
            backupEligible, backedUp?.Bool() ?? false, ImportRules.Transports(data.Optional("transports")), facts?.Aaguid ?? Guid.Empty,
            facts?.Format ?? "none", false, data.Optional("name")?.Text(64), data.Optional("createdAt")?.Time() ?? now, null));
    }
}
