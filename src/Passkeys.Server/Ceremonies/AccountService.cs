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

    /// <summary>Renames (or clears the name of) a credential.</summary>
    public async Task<CredentialView> RenameAsync(string tenantId, string userId, string credentialId, string? name, CancellationToken ct)
    {
        var id = CredentialIdOf(credentialId);
        var clean = name is null ? null : CeremonyService.CheckText(name, "name", 64);
        if (!await store.RenameCredentialAsync(tenantId, userId, id, clean, ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.CredentialNotFound);
        }
        return await ViewAsync(tenantId, userId, id, ct).ConfigureAwait(false);
    }

    /// <summary>Deletes a credential.</summary>
    public async Task DeleteAsync(string tenantId, string userId, string credentialId, CancellationToken ct)
    {
        if (!await store.DeleteCredentialAsync(tenantId, userId, CredentialIdOf(credentialId), ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.CredentialNotFound);
        }
    }

    /// <summary>Makes a credential the user's default (offered first).</summary>
    public async Task<CredentialView> SetDefaultAsync(string tenantId, string userId, string credentialId, CancellationToken ct)
    {
        var id = CredentialIdOf(credentialId);
        if (!await store.SetDefaultCredentialAsync(tenantId, userId, id, ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.CredentialNotFound);
        }
        return await ViewAsync(tenantId, userId, id, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Reinstates (<see cref="CredentialStatus.Active"/>) or suspends (reason operator) the user's
    /// credential, audited as a credential event. <paramref name="signedInWith"/> is the credential
    /// of the user's own session when the user asks: a session of the suspended passkey itself (a
    /// clone may have made it) cannot reinstate it; another passkey's, or one after recovery, can.
    /// </summary>
    public async Task<CredentialView> SetStatusAsync(string tenantId, string userId, string credentialId, string status, string? signedInWith,
        ClientInfo? client, CancellationToken ct)
    {
        var id = CredentialIdOf(credentialId);
        if (status == CredentialStatus.Active && signedInWith == Secrets.Base64Url(id))
        {
            throw new ServerException(ServerError.CredentialSuspended,
                "A passkey cannot turn itself back on. Sign in with another passkey or a recovery code, then reinstate it.");
        }
        var row = await store.GetCredentialAsync(tenantId, id, ct).ConfigureAwait(false);
        if (row is not null && row.UserId == userId && row.Status == status
            && (status != CredentialStatus.Active || row.CloneSuspectedAt is null)) // reinstating a flagged one clears its mark
        {
            return await ViewAsync(tenantId, userId, id, ct).ConfigureAwait(false); // nothing changes: nothing to audit
        }
        if (status == CredentialStatus.Active && row is { UserId: var owner, SuspendedReason: SuspendedReason.AuthenticatorRevoked } && owner == userId
            && Metadata.CompromiseStatuses.Of(authenticators.Blob?.Find(row.Aaguid)) is not null)
        {
            // The next metadata refresh would suspend it again: say so now instead.
            throw new ServerException(ServerError.AuthenticatorRevoked,
                "This passkey's kind of security key is still reported compromised, so it cannot be turned back on. Delete it and add a passkey from another security key or device.");
        }
        var reason = status == CredentialStatus.Active ? null : SuspendedReason.Operator;
        if (!await store.SetCredentialStatusAsync(tenantId, userId, id, status, reason, time.GetUtcNow(), ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.CredentialNotFound);
        }
        await audit.RecordAsync(tenantId, Observability.Ceremonies.Credential, status == CredentialStatus.Active ? "reinstated" : "suspended", null, userId,
            Secrets.Base64Url(id), null, null, client, TimeSpan.Zero, ct).ConfigureAwait(false);
        return await ViewAsync(tenantId, userId, id, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces the user's recovery codes; the codes are returned once and stored as keyed hashes.
    /// A small per-user budget (Passkeys:Recovery:GenerationsPerAccount per GenerationWindow) stops a
    /// script from churning them.
    /// </summary>
    public async Task<RecoveryCodesResponse> NewRecoveryCodesAsync(string tenantId, string userId, CancellationToken ct)
    {
        await RequireUserAsync(tenantId, userId, ct).ConfigureAwait(false);
        var limits = options.Value.Recovery;
        await budget.TakeAsync(tenantId, "recovery-codes", userId, limits.GenerationsPerAccount, limits.GenerationWindow,
            ServerError.RecoveryCodesTooFrequent, ct).ConfigureAwait(false);
        var key = await keys.GetAsync(tenantId, TenantKeys.RecoveryCodes, ct).ConfigureAwait(false);
        var (codes, records) = RecoveryCodes.Generate(key, tenantId, userId, time.GetUtcNow());
        await store.ReplaceRecoveryCodesAsync(tenantId, userId, records, ct).ConfigureAwait(false);
        return new RecoveryCodesResponse(codes);
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
            if (record is null || user is null || code is null
                || !await store.SpendRecoveryCodeAsync(tenantId, user.Id, record.Id, time.GetUtcNow(), ct).ConfigureAwait(false))
            {
                throw new ServerException(ServerError.RecoveryCodeInvalid);
            }
            var grant = Secrets.RandomId(32);
            var now = time.GetUtcNow();
            var expires = now + options.Value.Ceremonies.RecoveryGrantLifetime;
            await store.SaveCeremonyAsync(new CeremonyRecord(tenantId, RecoveryGrants.CeremonyId(grant), CeremonyKind.RecoveryGrant, [], user.Id, null, now, expires), ct).ConfigureAwait(false);
            await audit.RecordAsync(tenantId, Observability.Ceremonies.Recovery, "succeeded", null, user.Id, null, null, null, client, Stopwatch.GetElapsedTime(started), ct).ConfigureAwait(false);
            return new RedeemResponse(grant, expires);
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
