using System.Text.Json;

namespace Passkeys.Server.OperatorConsole;

/// <summary>An enrolment link: bootstrap or invitation. The link carries the one-time secret in its fragment (never sent to a server, never in a Referer).</summary>
public sealed record OperatorInvitationView(string EnrolmentUrl, DateTimeOffset ExpiresAt);

/// <summary>A pending invitation (its link is not shown again: only its secret's holder has it).</summary>
/// <param name="Id">The invitation's id (the base64url SHA-256 of its secret), to cancel it with.</param>
/// <param name="Note">The note given when inviting (<c>bootstrap</c> for the first operator's link).</param>
/// <param name="InvitedBy">The inviting operator's id; null for the bootstrap (the admin key).</param>
/// <param name="InvitedByName">That operator's name; null for the bootstrap or when the operator was revoked since.</param>
public sealed record PendingInvitationView(string Id, string? Note, string? InvitedBy, string? InvitedByName, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>The pending invitations, oldest first.</summary>
public sealed record PendingInvitationList(IReadOnlyList<PendingInvitationView> Invitations);

/// <summary>Invite an operator: a note (who it is for, at most 200 characters) that the audit event of the invitation carries.</summary>
public sealed record OperatorInvitationInput(string? Note = null);

/// <summary>Enrolment begin: the secret from the link and the new operator's name.</summary>
public sealed record OperatorEnrolmentBeginRequest(string Invitation, string Name);

/// <summary>A begun console ceremony: its id and the WebAuthn options for the browser.</summary>
public sealed record OperatorCeremonyBegun(string CeremonyId, JsonElement Options);

/// <summary>A console ceremony's finish: the id from begin and the browser's credential JSON.</summary>
public sealed record OperatorCeremonyFinish(string CeremonyId, JsonElement Response);

/// <summary>
/// The signed-in operator and the session's CSRF token (to send as <c>X-Console-Csrf</c>); the
/// session itself is in the HttpOnly cookie.
/// </summary>
public sealed record OperatorSessionView(OperatorView Operator, string CsrfToken, DateTimeOffset IdleExpiresAt, DateTimeOffset ExpiresAt);

/// <summary>An operator.</summary>
/// <param name="Passkeys">How many passkeys the operator can sign in with.</param>
public sealed record OperatorView(string Id, string Name, DateTimeOffset CreatedAt, int Passkeys);

/// <summary>Every operator.</summary>
public sealed record OperatorList(IReadOnlyList<OperatorView> Operators);
