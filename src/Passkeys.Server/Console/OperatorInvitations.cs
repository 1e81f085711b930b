using System.Text.Json;
using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;
using Passkeys.Server.Errors;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;
using Passkeys.Server.Tokens;

namespace Passkeys.Server.OperatorConsole;

/// <summary>
/// Enrolment links: the bootstrap link (admin key, only while no operator exists) and invitations
/// (by an operator). A link carries 256 random bits; the store keeps only their SHA-256 as a
/// ceremony of kind <see cref="CeremonyKind.OperatorInvitation"/> of the console tenant, with its
/// expiry, so a link is single use (spent in the enrolment's transaction, <c>DELETE … RETURNING</c>)
/// and an unused one is purged (and audited as abandoned) like any expired ceremony.
/// </summary>
public sealed class OperatorInvitations(IPasskeyStore store, ConsoleTenant console, PublicBaseUrl baseUrl, TimeProvider time, IOptions<PasskeysServerOptions> options)
{
    private const string SecretPrefix = "pki_";

    // What an invitation records: who made it (null: the admin key) and the note given.
    private sealed record InvitationData(string? InvitedBy, string? Note);

    /// <summary>Whether any operator exists.</summary>
    public async Task<bool> AnyOperatorAsync(CancellationToken ct) =>
        (await store.ListUsersAsync(ConsoleTenant.Id, null, 1, ct).ConfigureAwait(false)).Count > 0;

    /// <summary>Creates an enrolment link; <paramref name="invitedBy"/> is the inviting operator, or null for the bootstrap.</summary>
    public async Task<(OperatorInvitationView View, string Id)> CreateAsync(string? invitedBy, string? note, CancellationToken ct)
    {
        var tenant = await console.GetAsync(ct).ConfigureAwait(false);
        var secret = SecretPrefix + Secrets.RandomId(32);
        var now = time.GetUtcNow();
        var expires = now + options.Value.Console.InvitationLifetime;
        var id = IdOf(secret);
        var data = JsonSerializer.Serialize(new InvitationData(invitedBy, note is null ? null : Ceremonies.CeremonyService.CheckText(note, "note", 200)));
        await store.SaveCeremonyAsync(new CeremonyRecord(tenant.Id, id, CeremonyKind.OperatorInvitation, [], invitedBy, data, now, expires), ct).ConfigureAwait(false);
        // In the fragment: browsers never send it to a server, so it stays out of access logs and Referer headers.
        return (new OperatorInvitationView($"{baseUrl.Value}/console/#enrol={secret}", expires), id);
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
        if (invitation is null || invitation.Kind != CeremonyKind.OperatorInvitation || invitation.ExpiresAt <= time.GetUtcNow())
        {
            throw new ServerException(ServerError.OperatorInvitationInvalid);
        }
        return invitation;
    }

    /// <summary>Spends the invitation in the enrolment's transaction; a link used by a concurrent enrolment fails this one.</summary>
    public async Task SpendAsync(IStoreStep step, string invitationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(step);
        var spent = await step.ConsumeCeremonyAsync(ConsoleTenant.Id, invitationId, CeremonyKind.OperatorInvitation, ct).ConfigureAwait(false);
        if (spent is null || spent.ExpiresAt <= time.GetUtcNow())
        {
            throw new ServerException(ServerError.OperatorInvitationInvalid);
        }
    }

    private static string IdOf(string secret) => "invite:" + Secrets.Base64Url(Secrets.Sha256(secret));
}
