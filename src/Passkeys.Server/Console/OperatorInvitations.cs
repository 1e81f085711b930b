using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;
using Passkeys.Server.Tokens;

namespace Passkeys.Server.OperatorConsole;

/// <summary>
/// Enrolment links: the bootstrap link (admin key, only while no operator exists) and invitations
/// (by an operator). A link carries 256 random bits; the store keeps only their SHA-256 as a
/// ceremony of kind <see cref="CeremonyKind.OperatorInvitation"/> of the console tenant, with its
/// expiry, so a link is single use (spent in the enrolment's transaction, <c>DELETE … RETURNING</c>)
/// and an unused one is purged (and audited as abandoned) like any expired ceremony. An operator can
/// list the pending ones and cancel one: its row becomes a <see cref="CeremonyKind.CancelledOperatorInvitation"/>
/// until it would have expired, so the link is answered "cancelled". Making and cancelling a link are
/// typed audit events of the console tenant, in the change's own transaction.
/// </summary>
public sealed class OperatorInvitations(IPasskeyStore store, ConsoleTenant console, PublicBaseUrl baseUrl, AuditLog audit, TimeProvider time,
    IOptions<PasskeysServerOptions> options)
{
    private const string SecretPrefix = "pki_";
    private const string IdPrefix = "invite:";
    // An invitation's public id: the base64url SHA-256 of its secret (the row's id without the prefix).
    private const int PublicIdLength = 43;
    // More pending invitations than this is not a console anyone runs; the list says so by its length.
    private const int MaxListed = 500;

    // What an invitation records: who made it (null: the admin key) and the note given.
    private sealed record InvitationData(string? InvitedBy, string? Note);

    /// <summary>Whether any operator exists.</summary>
    public async Task<bool> AnyOperatorAsync(CancellationToken ct) =>
        (await store.ListUsersAsync(ConsoleTenant.Id, null, 1, ct).ConfigureAwait(false)).Count > 0;

    /// <summary>
    /// Creates an enrolment link and its <c>operator_invitation.created</c> event, in one transaction;
    /// <paramref name="invitedBy"/> is the inviting operator, or null for the bootstrap (by the admin key).
    /// </summary>
    public async Task<(OperatorInvitationView View, string Id)> CreateAsync(string? invitedBy, string? note, AuditActor actor, ClientInfo client, CancellationToken ct)
    {
        var tenant = await console.GetAsync(ct).ConfigureAwait(false);
        var secret = SecretPrefix + Secrets.RandomId(32);
        var now = time.GetUtcNow();
        var expires = now + options.Value.Console.InvitationLifetime;
        var id = IdOf(secret);
        var checkedNote = note is null ? null : Ceremonies.CeremonyService.CheckText(note, "note", 200);
        var data = JsonSerializer.Serialize(new InvitationData(invitedBy, checkedNote));
        await using (var step = await store.BeginStepAsync(ct).ConfigureAwait(false))
        {
            await step.SaveCeremonyAsync(new CeremonyRecord(tenant.Id, id, CeremonyKind.OperatorInvitation, [], invitedBy, data, now, expires), ct).ConfigureAwait(false);
            await step.AppendAuditEventAsync(audit.Change(tenant.Id, AuditTypes.OperatorInvitationCreated, actor, AuditTarget.OperatorInvitation(PublicId(id)),
                client: client, details: new Dictionary<string, string?> { ["note"] = checkedNote, ["expiresAt"] = expires.ToString("O", CultureInfo.InvariantCulture) }),
                ct).ConfigureAwait(false);
            await step.CommitAsync(ct).ConfigureAwait(false);
        }
        // In the fragment: browsers never send it to a server, so it stays out of access logs and Referer headers.
        return (new OperatorInvitationView($"{baseUrl.Value}/console/#enrol={secret}", expires), id);
    }

    /// <summary>The pending invitations (the bootstrap link too, while unused): not used, not cancelled, not expired; oldest first.</summary>
    public async Task<IReadOnlyList<PendingInvitationView>> ListPendingAsync(CancellationToken ct)
    {
        var rows = await store.ListLiveCeremoniesAsync(ConsoleTenant.Id, CeremonyKind.OperatorInvitation, time.GetUtcNow(), MaxListed, ct).ConfigureAwait(false);
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        var list = new List<PendingInvitationView>(rows.Count);
        foreach (var row in rows)
        {
            var data = Data(row);
            string? name = null;
            if (data.InvitedBy is { } by && !names.TryGetValue(by, out name))
            {
                // The inviting operator may have been revoked since: the id stays, the name is gone.
                name = names[by] = (await store.GetUserAsync(ConsoleTenant.Id, by, ct).ConfigureAwait(false))?.DisplayName;
            }
            list.Add(new PendingInvitationView(PublicId(row.Id), data.Note, data.InvitedBy, name, row.CreatedAt, row.ExpiresAt));
        }
        return list;
    }

    /// <summary>
    /// Cancels a pending invitation: its link can no longer be used (<see cref="ServerError.OperatorInvitationCancelled"/>).
    /// The row changes kind and the <c>operator_invitation.cancelled</c> event is written in one transaction.
    /// </summary>
    /// <exception cref="ServerException">OperatorInvitationNotFound (unknown id, used, expired), OperatorInvitationAlreadyCancelled.</exception>
    public async Task CancelAsync(string? invitationId, AuditActor actor, ClientInfo client, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(invitationId) || invitationId.Length != PublicIdLength || Secrets.FromBase64Url(invitationId) is null)
        {
            throw new ServerException(ServerError.OperatorInvitationNotFound, "invitationId is not the id of an invitation (43 base64url characters).");
        }
        var id = IdPrefix + invitationId;
        var now = time.GetUtcNow();
        await using var step = await store.BeginStepAsync(ct).ConfigureAwait(false);
        // DELETE … RETURNING: of a cancel and an enrolment racing for the link, only one gets the row.
        var taken = await step.ConsumeCeremonyAsync(ConsoleTenant.Id, id, CeremonyKind.OperatorInvitation, ct).ConfigureAwait(false);
        if (taken is null || taken.ExpiresAt <= now)
        {
            // Nothing pending (an expired row stays for the purge, which audits it as abandoned: the step is not committed).
            var cancelled = taken is null ? await step.GetCeremonyAsync(ConsoleTenant.Id, id, ct).ConfigureAwait(false) : null;
            throw cancelled is { Kind: CeremonyKind.CancelledOperatorInvitation } && cancelled.ExpiresAt > now
                ? new ServerException(ServerError.OperatorInvitationAlreadyCancelled)
                : new ServerException(ServerError.OperatorInvitationNotFound);
        }
        await step.SaveCeremonyAsync(taken with { Kind = CeremonyKind.CancelledOperatorInvitation }, ct).ConfigureAwait(false);
        await step.AppendAuditEventAsync(audit.Change(ConsoleTenant.Id, AuditTypes.OperatorInvitationCancelled, actor, AuditTarget.OperatorInvitation(invitationId),
            client: client, details: new Dictionary<string, string?> { ["note"] = Data(taken).Note }), ct).ConfigureAwait(false);
        await step.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The live invitation a link's secret names (not spent by this call).</summary>
    /// <exception cref="ServerException">OperatorInvitationInvalid: unknown, spent or expired.</exception>
    public async Task<CeremonyRecord> FindLiveAsync(IStoreStep step, string? secret, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (string.IsNullOrEmpty(secret) || secret.Length != SecretPrefix.Length + 43 || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            throw new ServerException(ServerError.OperatorInvitationInvalid, "invitation is not an enrolment secret this server issued.");
        }
        var invitation = await step.GetCeremonyAsync(ConsoleTenant.Id, IdOf(secret), ct).ConfigureAwait(false);
        if (invitation is null || invitation.ExpiresAt <= time.GetUtcNow())
        {
            throw new ServerException(ServerError.OperatorInvitationInvalid);
        }
        return invitation.Kind switch
        {
            CeremonyKind.OperatorInvitation => invitation,
            CeremonyKind.CancelledOperatorInvitation => throw new ServerException(ServerError.OperatorInvitationCancelled),
            _ => throw new ServerException(ServerError.OperatorInvitationInvalid),
        };
    }

    /// <summary>Spends the invitation in the enrolment's transaction; a link used by a concurrent enrolment fails this one.</summary>
    public async Task SpendAsync(IStoreStep step, string invitationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(step);
        var spent = await step.ConsumeCeremonyAsync(ConsoleTenant.Id, invitationId, CeremonyKind.OperatorInvitation, ct).ConfigureAwait(false);
        if (spent is null || spent.ExpiresAt <= time.GetUtcNow())
        {
            // Cancelled between this enrolment's begin and its finish: say so.
            var cancelled = spent is null ? await step.GetCeremonyAsync(ConsoleTenant.Id, invitationId, ct).ConfigureAwait(false) : null;
            throw new ServerException(cancelled?.Kind == CeremonyKind.CancelledOperatorInvitation
                ? ServerError.OperatorInvitationCancelled
                : ServerError.OperatorInvitationInvalid);
        }
    }

    private static string IdOf(string secret) => IdPrefix + Secrets.Base64Url(Secrets.Sha256(secret));

    private static string PublicId(string rowId) => rowId[IdPrefix.Length..];

    private static InvitationData Data(CeremonyRecord row) =>
        row.Data is null ? new InvitationData(null, null) : JsonSerializer.Deserialize<InvitationData>(row.Data) ?? new InvitationData(null, null);
}
