using System.Text.Json;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Migration;

/// <summary>
/// Reads passkeys stored by fido2-net-lib (format <c>fido2-net-lib</c>): its users (<c>Fido2User</c>:
/// an id of ours, <c>name</c>, <c>displayName</c>, and <c>handle</c>, the bytes of <c>Fido2User.Id</c>)
/// and its <c>StoredCredential</c>s as System.Text.Json writes them (<c>Id</c> or <c>Descriptor.Id</c>,
/// <c>PublicKey</c>, <c>UserHandle</c> or <c>UserId</c>, <c>SignCount</c>, <c>Transports</c>,
/// <c>IsBackupEligible</c>, <c>IsBackedUp</c>, <c>AttestationObject</c>, <c>AttestationFormat</c>,
/// <c>RegDate</c>, <c>AaGuid</c>). A credential belongs to the user whose handle is its user handle.
/// </summary>
internal static class Fido2NetLibReader
{
    public const string FormatName = "fido2-net-lib";

    // fido2-net-lib's AuthenticatorTransport, for files that wrote the enum as numbers.
    private static readonly string[] TransportNames = ["usb", "nfc", "ble", "internal"];

    public static ImportPlan Read(JsonField root, TenantRecord into, DateTimeOffset now)
    {
        root = root with { IgnoreCase = true };
        var users = ForeignUsers.Read(root, "name", now);
        var credentials = root.Member("credentials").Items(ImportRules.MaxUsers * 4).Select(c => Credential(c, into, users, now)).ToList();
        return new ImportPlan(null, into, ForeignUsers.Plan(into.Id, users, credentials));
    }

    private static PlannedCredential Credential(JsonField c, TenantRecord into, IReadOnlyList<ForeignUsers.Entry> users, DateTimeOffset now)
    {
        var id = (c.Optional("id") ?? c.Optional("descriptor")?.Member("id") ?? c.Member("id")).Bytes(1, 1023);
        var handleField = c.Optional("userHandle") ?? c.Member("userId");
        var handle = ImportRules.Handle(handleField);
        var user = users.FirstOrDefault(u => u.Handle.AsSpan().SequenceEqual(handle))
            ?? throw handleField.Invalid("is the handle of no user of $.users (a user's handle is 'handle', or the UTF-8 bytes of 'id').");
        var key = ImportRules.PublicKey(c.Member("publicKey"), null, "");
        var backupEligible = c.Optional("isBackupEligible")?.Bool() ?? false;
        var backedUp = c.Optional("isBackedUp");
        ImportRules.BackupFlags(backupEligible, backedUp?.Bool() ?? false, backedUp?.Path ?? "");
        var facts = ImportRules.FromAttestationObject(c.Optional("attestationObject"), into.RpId, id);
        return new PlannedCredential(c.Path, new CredentialRecordRow(into.Id, id, user.Id, user.Handle, key.Encoded.ToArray(), (int)key.Algorithm,
            c.Optional("signCount")?.Number(0, uint.MaxValue) ?? 0, facts?.UserVerified ?? false, backupEligible, backedUp?.Bool() ?? false,
            Transports(c.Optional("transports")), c.Optional("aaGuid")?.Uuid() ?? facts?.Aaguid ?? Guid.Empty,
            c.Optional("attestationFormat")?.Text(32) ?? facts?.Format ?? "none", false, null, c.Optional("regDate")?.Time() ?? now, null));
    }

    private static IReadOnlyList<string> Transports(JsonField? field) =>
        field is { } f
            ? [.. f.Items(8).Select(t => t.Value.ValueKind == JsonValueKind.Number ? TransportNames[(int)t.Number(0, TransportNames.Length - 1)] : t.Text(32))]
            : [];
}
