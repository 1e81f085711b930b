using System.Diagnostics;
using System.Security.Cryptography;

using System.Text.Json;

using Passkeys.Ceremonies;
using Passkeys.Protocol;

using Passkeys.Server.Analytics;
using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Security.Usernames;
using Passkeys.Server.Sessions;
using Passkeys.Server.Storage;
using Passkeys.Server.Tokens;

namespace Passkeys.Server.Ceremonies;

/// <summary>Registration: begin (who registers, with what) and finish (verify, store, sign in).</summary>
public sealed partial class CeremonyService
{
    /// <summary>Registration begin; see docs/api.md for who may call it with what.</summary>
    public Task<BeginResponse> BeginRegistrationAsync(CallContext call, Presented presented, RegistrationBeginRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunStepAsync(call, Observability.Ceremonies.Registration, null, async (step, trace, ct) =>
        {
            var tenant = call.Tenant;
            var conditional = IsConditionalCreate(request.Mediation);
            // Which funnel the ceremony counts in (docs/analytics.md): a conditional create is its own.
            var mediation = conditional ? Mediations.Conditional : Mediations.Modal;
            var (existing, pending, grant, apiKey) = await ResolveRegistrantAsync(call, step, presented, request, ct).ConfigureAwait(false);
            if (conditional && (grant is not null || (existing is null && apiKey is null)))
            {
                // A passkey made without a prompt upgrades an account someone is signed in to: a user
                // token, or the app's API key for a user the app signed in (say with a password: a user
                // the passkey server may not know yet, the upgrade path); never a self sign-up or a recovery.
                throw new ServerException(ServerError.ConditionalCreateNeedsSignedInUser);
            }
            var registrant = existing?.Id ?? pending!.Id;
            // A self sign-up's user id was just drawn at random, so no offer can name it: no read.
            // (An app's new user, with its API key, may have been offered a passkey under the app's id.)
            var offeredAt = pending is not null && apiKey is null ? null : await step.GetPasskeyOfferAsync(tenant.Id, registrant, ct).ConfigureAwait(false);
            var handle = existing?.Handle ?? Secrets.FromBase64Url(pending!.Handle)!;
            var exclude = existing is null ? [] : (await step.ListCredentialsAsync(tenant.Id, existing.Id, ct).ConfigureAwait(false))
                .Select(c => new CredentialDescriptor(c.Id, c.Transports)).ToList();
            var ceremony = parties.For(tenant).BeginRegistration(new RegistrationRequest
            {
                User = new UserIdentity(handle, existing?.Name ?? pending!.Name, existing?.DisplayName ?? pending!.DisplayName),
                ExcludeCredentials = exclude,
                Attachment = request.AuthenticatorAttachment switch
                {
                    null => null,
                    "platform" => AuthenticatorAttachment.Platform,
                    "cross-platform" => AuthenticatorAttachment.CrossPlatform,
                    _ => throw new ServerException(ServerError.ValidationFailed, "authenticatorAttachment must be 'platform' or 'cross-platform'."),
                },
                // Kept in the ceremony state (never taken from the response), so that finish waives
                // the UP check (REG-15) for this ceremony only.
                ConditionalCreate = conditional,
            });
            var id = await SaveAsync(step, tenant.Id, CeremonyKind.Registration, ceremony.State.Serialize(), ceremony.State.ExpiresAt,
                existing?.Id ?? pending!.Id, new CeremonyData { NewUser = pending, RecoveryGrant = grant, SignedIn = presented.ApiKey is null && presented.Bearer is not null, ApiKeyId = apiKey?.Id }, ct).ConfigureAwait(false);
            await step.AppendAuditEventAsync(audit.Event(tenant.Id, Observability.Ceremonies.Registration, "started", id, existing?.Id ?? pending!.Id, null, null, null,
                call.Client, trace.Elapsed), ct).ConfigureAwait(false);
            var begunAt = time.GetUtcNow();
            await step.RecordCeremonyBegunAsync(FunnelRows.Begun(tenant.Id, id, grant is null ? FunnelKinds.Registration : FunnelKinds.Recovery, mediation, begunAt,
                ceremony.State.ExpiresAt, registrant, pending is not null, FunnelRows.IsAfterOffer(offeredAt, begunAt), call.Client), ct).ConfigureAwait(false);
            await step.CommitAsync(ct).ConfigureAwait(false);
            return new BeginResponse(id, ParseJson(ceremony.OptionsJson));
        });
    }

    private async Task<(UserRecord? Existing, PendingUser? Pending, string? Grant, AuditActor? ApiKey)> ResolveRegistrantAsync(
        CallContext call, IStoreStep step, Presented presented, RegistrationBeginRequest request, CancellationToken ct)
    {
        var tenant = call.Tenant;
        if (presented.ApiKey is not null)
        {
            var apiKey = await access.RequireApiKeyAsync(tenant, presented, ct).ConfigureAwait(false);
            var u = request.User ?? throw new ServerException(ServerError.MalformedRequest, "user is required with an API key.");
            var userId = CheckText(u.Id, "user.id", 128);
            var user = await step.GetUserAsync(tenant.Id, userId, ct).ConfigureAwait(false);
            if (user is not null)
            {
                return (user, null, null, apiKey);
            }
            var name = UsernameRules.Check(u.Name, "user.name");
            if (await step.GetUserByNameAsync(tenant.Id, name, ct).ConfigureAwait(false) is not null)
            {
                throw new ServerException(ServerError.UsernameTaken);
            }
            return (null, NewPending(userId, name, u.DisplayName), null, apiKey);
        }
        if (presented.Bearer is not null)
        {
            var (_, user) = await access.RequireUserAsync(tenant, call.Issuer, presented, ct).ConfigureAwait(false);
            return (user, null, null, null);
        }
        if (request.RecoveryGrant is not null)
        {
            // The grant is checked here and spent at finish: taken out atomically (so two begins can't
            // both see it) and put back unchanged, with its original expiry.
            // Stored under its hash only, and taken only as a grant (never another kind of ceremony).
            var grantId = RecoveryGrants.CeremonyId(request.RecoveryGrant);
            var grant = await store.ConsumeCeremonyAsync(tenant.Id, grantId, CeremonyKind.RecoveryGrant, ct).ConfigureAwait(false);
            if (grant is null || grant.ExpiresAt <= time.GetUtcNow() || grant.UserId is null)
            {
                throw new ServerException(ServerError.Unauthorized, "The recovery grant is not valid. Redeem a recovery code again.");
            }
            await store.SaveCeremonyAsync(grant, ct).ConfigureAwait(false);
            var user = await store.GetUserAsync(tenant.Id, grant.UserId, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.Unauthorized);
            return (user, null, grantId, null);
        }
        if (!tenant.SelfSignUp)
        {
            throw new ServerException(ServerError.Forbidden, "This site does not allow signing up here. Use the app's sign-up page.");
        }
        var self = request.User ?? throw new ServerException(ServerError.MalformedRequest, "user is required for sign-up.");
        var selfName = UsernameRules.Check(self.Name, "user.name");
        if (await step.GetUserByNameAsync(tenant.Id, selfName, ct).ConfigureAwait(false) is not null)
        {
            throw new ServerException(ServerError.UsernameTaken);
        }
        return (null, NewPending(Secrets.RandomId(16), selfName, self.DisplayName), null, null);
    }

    /// <summary>Reads <c>mediation</c>: true for "conditional"; absent, "optional" and "required" are the modal prompt.</summary>
    private static bool IsConditionalCreate(string? mediation) => mediation switch
    {
        null or "optional" or "required" => false,
        "conditional" => true,
        _ => throw new ServerException(ServerError.ValidationFailed, "mediation must be 'conditional', 'optional' or 'required'."),
    };

    private static PendingUser NewPending(string id, string name, string? displayName) =>
        new(id, name, string.IsNullOrWhiteSpace(displayName) ? name : CheckText(displayName, "user.displayName", 256), Secrets.RandomId(32));

    /// <summary>
    /// Registration finish: verifies, then in one transaction consumes the ceremony (and a recovery
    /// grant), stores the credential (and new user), starts the session and writes the audit event.
    /// </summary>
    public Task<RegistrationFinishResponse> FinishRegistrationAsync(CallContext call, FinishRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunStepAsync(call, Observability.Ceremonies.Registration, (request.CeremonyId, CeremonyKind.Registration), async (step, trace, ct) =>
        {
            var tenant = call.Tenant;
            // Read, verify, then write: the signature check holds no lock.
            var ceremony = await ReadCeremonyAsync(step, tenant.Id, request.CeremonyId, CeremonyKind.Registration, ct).ConfigureAwait(false);
            trace.UserId = ceremony.UserId;
            var name = request.Name is null ? null : CheckText(request.Name, "name", MaxNameLength);
            var data = CeremonyData.FromJson(ceremony.Data);
            var state = RegistrationState.Deserialize(ceremony.State);
            // §7.1, with the tenant's attestation policy after REG-24 (Ceremonies/TenantAttestationPolicy.cs).
            var (party, attestationPolicy) = parties.WithAttestationPolicy(tenant);
            var registered = party.FinishRegistration(ResponseJson(request.Response), state);
            var c = registered.Credential;
            var trusted = attestationPolicy.IsTrusted(registered);
            var credentialId = trace.CredentialId = Secrets.Base64Url(c.Id);
            trace.Seen = (c.Aaguid, c.BackupState);
            var now = time.GetUtcNow();
            var newUser = data.NewUser is { } p ? new UserRecord(tenant.Id, p.Id, Secrets.FromBase64Url(p.Handle)!, p.Name, p.DisplayName, now) : null;
            var user = newUser ?? await step.GetUserAsync(tenant.Id, ceremony.UserId!, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.UserNotFound);
            var row = new CredentialRecordRow(tenant.Id, c.Id, ceremony.UserId!, c.UserHandle, c.PublicKey, (int)c.Algorithm, c.SignCount,
                c.UvInitialized, c.BackupEligible, c.BackupState, c.Transports, c.Aaguid, c.AttestationFormat, trusted, name, now, null,
                AttestationType: AttestationTypeNames.Of(registered.Attestation.Type));
            // Signed before the transaction (no lock held while signing); discarded if the step fails.
            // Another passkey for a signed-in user gets a token as before, and the existing session goes on.
            var token = data.SignedIn
                ? await tokens.IssueAsync(tenant.Id, call.Issuer, new TokenSubject(user.Id, credentialId, registered.UserVerified, now, null), ct).ConfigureAwait(false)
                : null;
            var pending = data.SignedIn ? null : await sessions.PrepareAsync(call, user.Id, c.Id, registered.UserVerified, now, ct).ConfigureAwait(false);
            // The step's transaction: everything below is committed together or not at all.
            await ConsumeVerifiedAsync(step, ceremony, ct).ConfigureAwait(false);
            if (data.RecoveryGrant is { } recoveryGrant)
            {
                // Spend the recovery grant now that the new passkey is verified; a grant used by a
                // concurrent registration is gone, and this one fails.
                var spent = await step.ConsumeCeremonyAsync(tenant.Id, recoveryGrant, CeremonyKind.RecoveryGrant, ct).ConfigureAwait(false);
                if (spent is null || spent.ExpiresAt <= now || spent.UserId != ceremony.UserId)
                {
                    throw new ServerException(ServerError.Unauthorized, "The recovery grant was already used or has expired. Redeem a recovery code again.");
                }
            }
            switch (await step.AddCredentialAsync(row, newUser, ct).ConfigureAwait(false))
            {
                case AddCredentialResult.CredentialExists:
                    throw new PasskeyException(PasskeyError.CredentialAlreadyRegistered, "the credential id is already registered (store unique index)");
                case AddCredentialResult.UserExists:
                    throw new ServerException(ServerError.UsernameTaken);
                case AddCredentialResult.UserMissing:
                    throw new ServerException(ServerError.UserNotFound);
            }
            var session = pending is null ? null : await pending.WriteAsync(step, ct).ConfigureAwait(false);
            await step.AppendAuditEventAsync(audit.Event(tenant.Id, Observability.Ceremonies.Registration, "succeeded", request.CeremonyId, user.Id, credentialId, null, null,
                call.Client, trace.Elapsed), ct).ConfigureAwait(false);
            // The changes it made, in the same commit: by the app when it began the registration with its API key, else by the user.
            var actor = data.ApiKeyId is { } keyId ? AuditActor.ApiKey(keyId) : AuditActor.User(user.Id);
            if (newUser is not null)
            {
                await step.AppendAuditEventAsync(audit.Change(tenant.Id, AuditTypes.UserCreated, actor, AuditTarget.User(user.Id), user.Id, client: call.Client), ct)
                    .ConfigureAwait(false);
            }
            await step.AppendAuditEventAsync(audit.Change(tenant.Id, AuditTypes.CredentialAdded, actor, AuditTarget.Credential(credentialId), user.Id, credentialId,
                call.Client, name is null ? null : new Dictionary<string, string?> { ["name"] = name }), ct).ConfigureAwait(false);
            await step.RecordCeremonyFinishedAsync(tenant.Id, ceremony.Id, new CeremonyFinish(ServerOutcomes.Succeeded, null, null, now, user.Id, c.Aaguid,
                authenticators.NameOf(c.Aaguid), c.BackupState), ct).ConfigureAwait(false);
            await step.CommitAsync(ct).ConfigureAwait(false);
            return session is null
                ? new RegistrationFinishResponse(Views.Of(user), Views.Of(row, user.DefaultCredentialId, authenticators), token!.Token, token.ExpiresAt)
                : new RegistrationFinishResponse(Views.Of(user), Views.Of(row, user.DefaultCredentialId, authenticators), session.Token, session.TokenExpiresAt,
                    session.RefreshToken, session.RefreshTokenExpiresAt, session.SessionId, session.SessionExpiresAt);
        });
    }
}
