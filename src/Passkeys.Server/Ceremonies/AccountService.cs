using System.Diagnostics;
using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;
using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Metadata;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Security.Usernames;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Ceremonies;

/// <summary>Credential management and recovery codes for one user of a tenant.</summary>
public sealed class AccountService(IPasskeyStore store, AuditLog audit, TimeProvider time, IOptions<PasskeysServerOptions> options,
    TenantKeys keys, AttemptBudget budget, AuthenticatorDirectory authenticators)
{
    /// <summary>The user's credentials.</summary>
    public async Task<CredentialList> ListAsync(string tenantId, string userId, CancellationToken ct)
    {
        var user = await RequireUserAsync(tenantId, userId, ct).ConfigureAwait(false);
        var list = await store.ListCredentialsAsync(tenantId, userId, ct).ConfigureAwait(false);
        return new CredentialList(list.Select(c => Views.Of(c, user.DefaultCredentialId, authenticators)).ToList());
    }

    /// <summary>Renames (or clears the name of) a credential, audited (<c>details.name</c>: the new name, null when cleared).</summary>
    public async Task<CredentialView> RenameAsync(string tenantId, string userId, string credentialId, string? name, AuditActor actor, ClientInfo? client,
        CancellationToken ct)
    {
        var id = CredentialIdOf(credentialId);
        var clean = name is null ? null : CeremonyService.CheckText(name, "name", 64);
        await ChangeCredentialAsync(step => step.RenameCredentialAsync(tenantId, userId, id, clean, ct),
            Change(tenantId, AuditTypes.CredentialRenamed, actor, userId, id, client, new Dictionary<string, string?> { ["name"] = clean }), ct).ConfigureAwait(false);
        return await ViewAsync(tenantId, userId, id, ct).ConfigureAwait(false);
    }

    /// <summary>Deletes a credential (its sessions end with it), audited.</summary>
    public async Task DeleteAsync(string tenantId, string userId, string credentialId, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        var id = CredentialIdOf(credentialId);
        await ChangeCredentialAsync(step => step.DeleteCredentialAsync(tenantId, userId, id, ct),
            Change(tenantId, AuditTypes.CredentialDeleted, actor, userId, id, client), ct).ConfigureAwait(false);
    }

    /// <summary>Makes a credential the user's default (offered first), audited.</summary>
    public async Task<CredentialView> SetDefaultAsync(string tenantId, string userId, string credentialId, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        var id = CredentialIdOf(credentialId);
        await ChangeCredentialAsync(step => step.SetDefaultCredentialAsync(tenantId, userId, id, ct),
            Change(tenantId, AuditTypes.CredentialDefaultSet, actor, userId, id, client), ct).ConfigureAwait(false);
        return await ViewAsync(tenantId, userId, id, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Reinstates (<see cref="CredentialStatus.Active"/>) or suspends (reason operator) the user's
    /// credential; the status and its <c>credential.reinstated</c> / <c>credential.suspended</c>
    /// event (<c>details.reason</c>) are one commit, and a request that changes nothing (already in
    /// that state) writes nothing. <paramref name="signedInWith"/> is the credential of the user's
    /// own session when the user asks: a session of the suspended passkey itself (a clone may have
    /// made it) cannot reinstate it; another passkey's, or one after recovery, can.
    /// </summary>
    public async Task<CredentialView> SetStatusAsync(string tenantId, string userId, string credentialId, string status, string? signedInWith,
        AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        var id = CredentialIdOf(credentialId);
        if (status == CredentialStatus.Active && signedInWith == Secrets.Base64Url(id))
        {
            throw new ServerException(ServerError.CredentialSuspended,
                "A passkey cannot turn itself back on. Sign in with another passkey or a recovery code, then reinstate it.");
        }
        if (status == CredentialStatus.Active
            && await store.GetCredentialAsync(tenantId, id, ct).ConfigureAwait(false) is { SuspendedReason: SuspendedReason.AuthenticatorRevoked } revoked
            && revoked.UserId == userId && Metadata.CompromiseStatuses.Of(authenticators.Blob?.Find(revoked.Aaguid)) is not null)
        {
            // The next metadata refresh would suspend it again: say so now instead.
            throw new ServerException(ServerError.AuthenticatorRevoked,
                "This passkey's kind of security key is still reported compromised, so it cannot be turned back on. Delete it and add a passkey from another security key or device.");
        }
        var reason = status == CredentialStatus.Active ? null : SuspendedReason.Operator;
        var type = status == CredentialStatus.Active ? AuditTypes.CredentialReinstated : AuditTypes.CredentialSuspended;
        var auditEvent = Change(tenantId, type, actor, userId, id, client, reason is null ? null : new Dictionary<string, string?> { ["reason"] = reason });
        if (!await store.ChangeAsync(step => step.ChangeCredentialStatusAsync(tenantId, userId, id, status, reason, time.GetUtcNow(), ct), auditEvent, ct)
                .ConfigureAwait(false))
        {
            // Nothing changed: the user has no such credential (404), or it is already so (nothing to audit).
            if (await store.GetCredentialAsync(tenantId, id, ct).ConfigureAwait(false) is not { } row || row.UserId != userId)
            {
                throw new ServerException(ServerError.CredentialNotFound);
            }
        }
        return await ViewAsync(tenantId, userId, id, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces the user's recovery codes; the codes are returned once and stored as keyed hashes,
    /// with their <c>recovery_codes.generated</c> event in the same commit.
    /// A small per-user budget (Passkeys:Recovery:GenerationsPerAccount per GenerationWindow) stops a
    /// script from churning them.
    /// </summary>
    public async Task<RecoveryCodesResponse> NewRecoveryCodesAsync(string tenantId, string userId, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        await RequireUserAsync(tenantId, userId, ct).ConfigureAwait(false);
        var limits = options.Value.Recovery;
        await budget.TakeAsync(tenantId, "recovery-codes", userId, limits.GenerationsPerAccount, limits.GenerationWindow,
            ServerError.RecoveryCodesTooFrequent, ct).ConfigureAwait(false);
        var key = await keys.GetAsync(tenantId, TenantKeys.RecoveryCodes, ct).ConfigureAwait(false);
        var (codes, records) = RecoveryCodes.Generate(key, tenantId, userId, time.GetUtcNow());
        await store.ChangeAsync(async step =>
        {
            await step.ReplaceRecoveryCodesAsync(tenantId, userId, records, ct).ConfigureAwait(false);
            return true;
        }, audit.Change(tenantId, AuditTypes.RecoveryCodesGenerated, actor, AuditTarget.RecoveryCodes(userId), userId, client: client,
            details: new Dictionary<string, string?> { ["count"] = records.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }), ct).ConfigureAwait(false);
        return new RecoveryCodesResponse(codes);
    }

    /// <summary>Deletes a user with their passkeys, recovery codes and sessions, audited (<c>user.deleted</c>); 404 when absent.</summary>
    public async Task DeleteUserAsync(string tenantId, string userId, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        if (!await store.ChangeAsync(step => step.DeleteUserAsync(tenantId, userId, ct),
                audit.Change(tenantId, AuditTypes.UserDeleted, actor, AuditTarget.User(userId), userId, client: client), ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.UserNotFound);
        }
    }

    private AuditEventRecord Change(string tenantId, string type, AuditActor actor, string userId, byte[] credentialId, ClientInfo? client,
        IReadOnlyDictionary<string, string?>? details = null)
    {
        var id = Secrets.Base64Url(credentialId);
        return audit.Change(tenantId, type, actor, AuditTarget.Credential(id), userId, id, client, details);
    }

    /// <summary>A change to one of the user's credentials with its event, in one commit; 404 when the user has no such credential.</summary>
    private async Task ChangeCredentialAsync(Func<IStoreStep, Task<bool>> change, AuditEventRecord auditEvent, CancellationToken ct)
    {
        if (!await store.ChangeAsync(change, auditEvent, ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.CredentialNotFound);
        }
    }

    /// <summary>Spends a recovery code and returns a single-use grant for one registration begin.</summary>
    public async Task<RedeemResponse> RedeemAsync(string tenantId, RedeemRequest request, ClientInfo client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        string? userId = null;
        // Not cancelled by the client going away: a spent code must get its grant (RunToCompletion).
        using var completion = RunToCompletion.Start();
        ct = completion.Token;
        try
        {
            var name = CeremonyService.CheckText(request.Username, "username", 256);
            // Per account, across all nodes (the store counts): guesses at one user's codes are
            // bounded however many addresses they come from. Unknown names are counted the same
            // way, so the budget does not tell which accounts exist.
            var limits = options.Value.Recovery;
            await budget.TakeAsync(tenantId, "recovery-redeem", UsernameRules.Key(name), limits.AttemptsPerAccount, limits.AttemptWindow,
                ServerError.RecoveryAttemptsExceeded, ct).ConfigureAwait(false);
            var code = RecoveryCodes.Normalize(request.Code);
            var user = await store.GetUserByNameAsync(tenantId, name, ct).ConfigureAwait(false);
            userId = user?.Id;
            // The same reads and hashing whether or not the user or code exists, so timing does not tell them apart.
            var key = await keys.GetAsync(tenantId, TenantKeys.RecoveryCodes, ct).ConfigureAwait(false);
            var unused = await store.ListUnusedRecoveryCodesAsync(tenantId, user?.Id ?? "", ct).ConfigureAwait(false);
            var record = RecoveryCodes.Find(key, tenantId, user?.Id ?? "", code ?? new string('0', 16), unused);
            if (record is null || user is null || code is null)
            {
                throw new ServerException(ServerError.RecoveryCodeInvalid);
            }
            var grant = Secrets.RandomId(32);
            var now = time.GetUtcNow();
            var expires = now + options.Value.Ceremonies.RecoveryGrantLifetime;
            // One commit: the spent code, its grant, and both events; a code spent by a concurrent redeem changes nothing here.
            await using (var step = await store.BeginStepAsync(ct).ConfigureAwait(false))
            {
                if (await step.SpendRecoveryCodeAsync(tenantId, user.Id, record.Id, now, ct).ConfigureAwait(false))
                {
                    await step.SaveCeremonyAsync(new CeremonyRecord(tenantId, RecoveryGrants.CeremonyId(grant), CeremonyKind.RecoveryGrant, [], user.Id, null, now, expires), ct)
                        .ConfigureAwait(false);
                    await step.AppendAuditEventAsync(audit.Change(tenantId, AuditTypes.RecoveryCodesRedeemed, AuditActor.User(user.Id), AuditTarget.RecoveryCodes(user.Id),
                        user.Id, client: client), ct).ConfigureAwait(false);
                    await step.AppendAuditEventAsync(audit.Event(tenantId, Observability.Ceremonies.Recovery, "succeeded", null, user.Id, null, null, null, client,
                        Stopwatch.GetElapsedTime(started)), ct).ConfigureAwait(false);
                    await step.CommitAsync(ct).ConfigureAwait(false);
                    return new RedeemResponse(grant, expires);
                }
            }
            throw new ServerException(ServerError.RecoveryCodeInvalid);
        }
        catch (ServerException e)
        {
            await audit.RecordAsync(tenantId, Observability.Ceremonies.Recovery, "failed", null, userId, null, (int)e.Error, e.Error.ToString(), client,
                Stopwatch.GetElapsedTime(started), ct).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<CredentialView> ViewAsync(string tenantId, string userId, byte[] id, CancellationToken ct)
    {
        var user = await RequireUserAsync(tenantId, userId, ct).ConfigureAwait(false);
        var row = await store.GetCredentialAsync(tenantId, id, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.CredentialNotFound);
        return Views.Of(row, user.DefaultCredentialId, authenticators);
    }

    private async Task<UserRecord> RequireUserAsync(string tenantId, string userId, CancellationToken ct) =>
        await store.GetUserAsync(tenantId, userId, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.UserNotFound);

    private static byte[] CredentialIdOf(string credentialId) =>
        Secrets.FromBase64Url(credentialId) ?? throw new ServerException(ServerError.CredentialNotFound);
}
