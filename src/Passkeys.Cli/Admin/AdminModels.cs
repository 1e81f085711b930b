namespace Passkeys.Cli.Admin;

// The admin API's response shapes (docs/api.md, "Admin API"), as far as the tables show them.
// Declared here rather than shared with Passkeys.Server: the CLI talks to servers of other versions
// over HTTP, so it reads only what it prints and ignores members it does not know; --json passes
// the server's own body through untouched.

internal sealed record Tenant(string Id, string RpId, string RpName, IReadOnlyList<string> Origins, IReadOnlyList<string>? RelatedOrigins,
    string UserVerification, string Attestation, bool SelfSignUp, DateTimeOffset CreatedAt, IReadOnlyList<string>? Algorithms = null);

internal sealed record TenantList(IReadOnlyList<Tenant> Tenants);

internal sealed record ApiKey(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

internal sealed record ApiKeyList(IReadOnlyList<ApiKey> ApiKeys);

internal sealed record ApiKeyCreated(string Id, string Name, string Key, DateTimeOffset CreatedAt);

internal sealed record User(string Id, string Name, string DisplayName);

internal sealed record UserPage(IReadOnlyList<User> Users, string? Next);

internal sealed record Credential(string Id, string? Name, string? AuthenticatorName, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt,
    bool Synced, bool IsDefault);

internal sealed record UserDetail(User User, IReadOnlyList<Credential> Credentials);

internal sealed record SigningKey(string Kid, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);

internal sealed record SigningKeyList(IReadOnlyList<SigningKey> Keys);

internal sealed record AuditEvent(long Id, DateTimeOffset At, string Ceremony, string Outcome, string? UserId, string? CredentialId,
    int? ErrorCode, string? Error, string? ClientAddress, string? Browser, string? Os, double? DurationMs);

internal sealed record AuditEventList(IReadOnlyList<AuditEvent> Events);

internal sealed record FunnelRow(string Ceremony, long Started, long Succeeded, long Failed, long Abandoned);

internal sealed record FailureRow(string? Browser, string? Os, long Failed, long Total);

internal sealed record Funnel(IReadOnlyList<FunnelRow> Ceremonies, IReadOnlyList<FailureRow> FailuresByBrowser);

internal sealed record OperatorInvitation(string EnrolmentUrl, DateTimeOffset ExpiresAt);

internal sealed record ConsoleOperator(string Id, string Name, DateTimeOffset CreatedAt, int Passkeys);

internal sealed record ConsoleOperatorList(IReadOnlyList<ConsoleOperator> Operators);
internal sealed record ImportSummary(string Tenant, bool TenantCreated, int Users, int Credentials);

internal sealed record PendingOperatorInvitation(string Id, string? Note, string? InvitedBy, string? InvitedByName, DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);

internal sealed record PendingOperatorInvitationList(IReadOnlyList<PendingOperatorInvitation> Invitations);
