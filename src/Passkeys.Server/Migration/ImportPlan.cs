using Passkeys.Server.Storage;

namespace Passkeys.Server.Migration;

/// <summary>A credential read from an import file, with the JSON path it came from (for conflicts found later).</summary>
internal sealed record PlannedCredential(string Path, CredentialRecordRow Row);

/// <summary>A user read from an import file, with their credentials.</summary>
internal sealed record PlannedUser(string Path, UserRecord User, IReadOnlyList<PlannedCredential> Credentials);

/// <summary>
/// What an import file asks for, read and checked entry by entry: the tenant to create (or null to
/// add to <see cref="Target"/>), and the users with their credentials.
/// </summary>
internal sealed record ImportPlan(TenantRecord? NewTenant, TenantRecord Target, IReadOnlyList<PlannedUser> Users);
