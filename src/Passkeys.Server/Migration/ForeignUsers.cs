using Passkeys.Server.Storage;

namespace Passkeys.Server.Migration;

/// <summary>
/// The <c>users</c> list of a file from another library: each user's id (the app's user id, kept as
/// ours, so tokens carry the same <c>sub</c>), name and display name, and WebAuthn user handle,
/// which defaults to the UTF-8 bytes of the id (ASP.NET Core Identity's choice, and fido2-net-lib's
/// samples').
/// </summary>
internal static class ForeignUsers
{
    public sealed record Entry(string Path, string Id, byte[] Handle, string Name, string DisplayName, DateTimeOffset CreatedAt);

    /// <param name="nameMember">The member holding the user name (<c>userName</c> in Identity's table, <c>name</c> in fido2-net-lib's Fido2User).</param>
    public static IReadOnlyList<Entry> Read(JsonField root, string nameMember, DateTimeOffset now) =>
        [.. root.Member("users").Items(ImportRules.MaxUsers).Select(u =>
        {
            var id = ImportRules.UserId(u.Member("id"));
            var name = ImportRules.UserName(u.Member(nameMember));
            var handle = u.Optional("handle") is { } h ? ImportRules.Handle(h) : System.Text.Encoding.UTF8.GetBytes(id);
            if (handle.Length > 64)
            {
                throw u.Member("id").Invalid("is longer than 64 bytes in UTF-8, so it cannot be the user handle; give the user's handle in 'handle'.");
            }
            return new Entry(u.Path, id, handle, name, u.Optional("displayName")?.Text(256) ?? name, u.Optional("createdAt")?.Time() ?? now);
        })];

    /// <summary>The plan: every user (with or without passkeys), each with the credentials that name it.</summary>
    public static IReadOnlyList<PlannedUser> Plan(string tenantId, IReadOnlyList<Entry> users, IReadOnlyList<PlannedCredential> credentials) =>
        [.. users.Select(u => new PlannedUser(u.Path, new UserRecord(tenantId, u.Id, u.Handle, u.Name, u.DisplayName, u.CreatedAt),
            [.. credentials.Where(c => c.Row.UserId == u.Id)]))];
}
