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

/// <summary>Authentication and step-up: begin (allowCredentials, fakes for unknown names) and finish (verify the assertion, record its use, start a session or issue a step-up token).</summary>
public sealed partial class CeremonyService
{
    /// <summary>Authentication begin: discoverable, or by username with allowCredentials (fakes for unknown users).</summary>
    public Task<BeginResponse> BeginAuthenticationAsync(CallContext call, AuthenticationBeginRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunStepAsync(call, Observability.Ceremonies.Authentication, null, async (step, trace, ct) =>
        {
            var tenant = call.Tenant;
            var mediation = Mediations.Of(request.Mediation);
            IReadOnlyList<CredentialDescriptor> allow = [];
            string? userId = null;
            if (request.Username is not null)
            {
                var name = CheckText(request.Username, "username", 256);
                // The user and their passkeys' ids and transports in one read.
                var found = await step.GetAllowCredentialsByNameAsync(tenant.Id, name, ct).ConfigureAwait(false);
                if (found is null || found.Credentials.Count == 0)
                {
                    allow = await fakes.ForAsync(tenant.Id, name, ct).ConfigureAwait(false);
                }
                else
                {
                    userId = found.UserId;
                    allow = DefaultFirst(found.Credentials, found.DefaultCredentialId);
                }
            }
            var ceremony = parties.For(tenant).BeginAuthentication(new AuthenticationRequest { AllowCredentials = allow });
            var id = await SaveAsync(step, tenant.Id, CeremonyKind.Authentication, ceremony.State.Serialize(), ceremony.State.ExpiresAt, userId, null, ct).ConfigureAwait(false);
            await step.AppendAuditEventAsync(audit.Event(tenant.Id, Observability.Ceremonies.Authentication, "started", id, userId, null, null, null,
                call.Client, trace.Elapsed), ct).ConfigureAwait(false);
            await step.RecordCeremonyBegunAsync(FunnelRows.Begun(tenant.Id, id, FunnelKinds.SignIn, mediation, time.GetUtcNow(), ceremony.State.ExpiresAt, userId,
                false, false, call.Client), ct).ConfigureAwait(false);
            await step.CommitAsync(ct).ConfigureAwait(false);
            return new BeginResponse(id, ParseJson(ceremony.OptionsJson));
        });
    }

    private static List<CredentialDescriptor> OrderDefaultFirst(IReadOnlyList<CredentialRecordRow> credentials, byte[]? defaultId) =>
        DefaultFirst([.. credentials.Select(c => new CredentialDescriptor(c.Id, c.Transports))], defaultId);

    // Stable: the others keep their order (by creation).
    private static List<CredentialDescriptor> DefaultFirst(IReadOnlyList<CredentialDescriptor> credentials, byte[]? defaultId) =>
        credentials.OrderByDescending(c => defaultId is not null && c.Id.AsSpan().SequenceEqual(defaultId)).ToList();

    /// <summary>Authentication finish: verifies the assertion against the stored credential and issues a token.</summary>
    public async Task<AuthenticationFinishResponse> FinishAuthenticationAsync(CallContext call, FinishRequest request, CancellationToken ct)
    {
        var (user, credentialId, verified, _, _, session) = await FinishAssertionAsync(call, request, CeremonyKind.Authentication).ConfigureAwait(false);
        return new AuthenticationFinishResponse(Views.Of(user), credentialId, verified.UserVerified, session!.Token, session.TokenExpiresAt,
            session.RefreshToken, session.RefreshTokenExpiresAt, session.SessionId, session.SessionExpiresAt);
    }

    /// <summary>Step-up begin: binds SHA-256 of the transaction text into the challenge; UV required.</summary>
    public Task<StepUpBeginResponse> BeginStepUpAsync(CallContext call, Presented presented, StepUpBeginRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(request);
        return RunStepAsync(call, Observability.Ceremonies.StepUp, null, async (step, trace, ct) =>
        {
            var tenant = call.Tenant;
            UserRecord user;
            if (presented.ApiKey is not null)
            {
                await access.RequireApiKeyAsync(tenant, presented, ct).ConfigureAwait(false);
                var userId = CheckText(request.UserId, "userId", 128);
                user = await step.GetUserAsync(tenant.Id, userId, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.UserNotFound);
            }
            else
            {
                (_, user) = await access.RequireUserAsync(tenant, call.Issuer, presented, ct).ConfigureAwait(false);
            }
            var transaction = CheckText(request.Transaction, "transaction", MaxTransactionLength);
            var credentials = await step.ListCredentialsAsync(tenant.Id, user.Id, ct).ConfigureAwait(false);
            if (credentials.Count == 0)
            {
                throw new ServerException(ServerError.CredentialNotFound, "This account has no passkey to confirm with.");
            }
            var ceremony = parties.For(tenant).BeginAuthentication(new AuthenticationRequest
            {
                AllowCredentials = OrderDefaultFirst(credentials, user.DefaultCredentialId),
                UserHandle = user.Handle,
                UserVerification = UserVerificationRequirement.Required,
                TransactionPayload = System.Text.Encoding.UTF8.GetBytes(transaction),
            });
            var hash = Secrets.Base64Url(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(transaction)));
            var id = await SaveAsync(step, tenant.Id, CeremonyKind.StepUp, ceremony.State.Serialize(), ceremony.State.ExpiresAt, user.Id,
                new CeremonyData { TransactionHash = hash }, ct).ConfigureAwait(false);
            await step.AppendAuditEventAsync(audit.Event(tenant.Id, Observability.Ceremonies.StepUp, "started", id, user.Id, null, null, null,
                call.Client, trace.Elapsed), ct).ConfigureAwait(false);
            await step.RecordCeremonyBegunAsync(FunnelRows.Begun(tenant.Id, id, FunnelKinds.StepUp, Mediations.Modal, time.GetUtcNow(), ceremony.State.ExpiresAt, user.Id,
                false, false, call.Client), ct).ConfigureAwait(false);
            await step.CommitAsync(ct).ConfigureAwait(false);
            return new StepUpBeginResponse(id, hash, ParseJson(ceremony.OptionsJson));
        });
    }

    /// <summary>Step-up finish: like authentication, for the user it was started for; the token carries <c>txn</c>.</summary>
    public async Task<StepUpFinishResponse> FinishStepUpAsync(CallContext call, FinishRequest request, CancellationToken ct)
    {
        var (user, credentialId, verified, hash, token, _) = await FinishAssertionAsync(call, request, CeremonyKind.StepUp).ConfigureAwait(false);
        return new StepUpFinishResponse(Views.Of(user), credentialId, verified.UserVerified, hash!, token!.Token, token.ExpiresAt);
    }

    /// <summary>
    /// Parses an assertion before anything is read, since the read of the ceremony needs the
    /// credential id it names. A response that does not parse is refused as it was when the ceremony
    /// was read first: after the ceremony's own refusals (unknown, another kind, expired), with the
    /// ceremony's user in the failure event.
    /// </summary>
    private async Task<(string Json, byte[] CredentialId)> ParseAssertionAsync(IStoreStep step, StepTrace trace, string tenantId, FinishRequest request,
        CeremonyKind kind, CancellationToken ct)
    {
        try
        {
            var json = ResponseJson(request.Response);
            return (json, AuthenticationResponse.Parse(json).CredentialId.ToArray());
        }
        catch (PasskeyException)
        {
            trace.UserId = (await ReadCeremonyAsync(step, tenantId, request.CeremonyId, kind, ct).ConfigureAwait(false)).UserId;
            throw;
        }
    }

    // Authentication starts a session (Session); step-up issues a one-off token carrying txn (Token).
    private Task<(UserRecord User, string CredentialId, VerifiedAuthentication Verified, string? Hash, IssuedToken? Token, SessionTokens? Session)> FinishAssertionAsync(
        CallContext call, FinishRequest request, CeremonyKind kind)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = Observability.Ceremonies.Of(kind);
        return RunStepAsync(call, name, (request.CeremonyId, kind), async (step, trace, ct) =>
        {
            var tenant = call.Tenant;
            // Read, verify, then write: the signature check holds no lock.
            var (json, rawId) = await ParseAssertionAsync(step, trace, tenant.Id, request, kind, ct).ConfigureAwait(false);
            // The ceremony, the credential the response names and its user: one read. Refused in the
            // order of the checks, whatever the read found: the ceremony's first, then the credential's;
            // a missing user only after verifying.
            var read = await step.GetCeremonyWithCredentialAsync(tenant.Id, RequireCeremonyId(request.CeremonyId), rawId, ct).ConfigureAwait(false);
            var ceremony = CheckCeremony(read?.Ceremony, kind);
            trace.UserId = ceremony.UserId;
            var credentialId = trace.CredentialId = Secrets.Base64Url(rawId);
            var found = read!.Credential ?? throw new PasskeyException(PasskeyError.CredentialNotFound, "no credential with this id in the tenant");
            var row = found.Credential;
            if (ceremony.UserId is not null && row.UserId != ceremony.UserId)
            {
                throw new PasskeyException(PasskeyError.UserHandleMismatch, "the credential belongs to another user than the ceremony was started for");
            }
            trace.UserId = row.UserId;
            trace.Seen = (row.Aaguid, row.BackupState);
            // Refused before verifying, whichever copy presents it: only reinstating makes it sign in again.
            if (row.Status == CredentialStatus.Suspended)
            {
                throw SuspendedError(row.SuspendedReason);
            }
            trace.SuspendOnRegression = tenant.CloneDetection == CloneDetectionPolicy.Suspend ? rawId : null;
            var state = AuthenticationState.Deserialize(ceremony.State);
            var verified = parties.For(tenant).FinishAuthentication(json, state, ToLibrary(row));
            var now = time.GetUtcNow();
            var user = found.User ?? throw new ServerException(ServerError.UserNotFound);
            var hash = CeremonyData.FromJson(ceremony.Data).TransactionHash;
            var token = kind == CeremonyKind.Authentication
                ? null
                : await tokens.IssueAsync(tenant.Id, call.Issuer, new TokenSubject(user.Id, credentialId, verified.UserVerified, now, hash), ct).ConfigureAwait(false);
            var pending = kind == CeremonyKind.Authentication
                ? await sessions.PrepareAsync(call, user.Id, rawId, verified.UserVerified, now, ct).ConfigureAwait(false)
                : null;
            // The step's transaction: ceremony, credential update, session and audit event are committed together.
            await ConsumeVerifiedAsync(step, ceremony, ct).ConfigureAwait(false);
            await step.RecordCredentialUseAsync(tenant.Id, rawId, verified.UpdatedCredential.SignCount, verified.UpdatedCredential.BackupState,
                verified.UpdatedCredential.UvInitialized, now, ct).ConfigureAwait(false);
            var session = pending is null ? null : await pending.WriteAsync(step, ct).ConfigureAwait(false);
            await step.AppendAuditEventAsync(audit.Event(tenant.Id, name, "succeeded", request.CeremonyId, user.Id, credentialId, null, null,
                call.Client, trace.Elapsed), ct).ConfigureAwait(false);
            await step.RecordCeremonyFinishedAsync(tenant.Id, ceremony.Id, new CeremonyFinish(ServerOutcomes.Succeeded, null, null, now, user.Id, row.Aaguid,
                authenticators.NameOf(row.Aaguid), verified.UpdatedCredential.BackupState), ct).ConfigureAwait(false);
            // Only a "flag" tenant gets here with a counter that did not grow (RelyingParties): let through, marked.
            if (verified.SignCountRegressed && await step.FlagCloneSuspectedAsync(tenant.Id, rawId, now, ct).ConfigureAwait(false))
            {
                await step.AppendAuditEventAsync(audit.Event(tenant.Id, Observability.Ceremonies.Credential, "flagged", request.CeremonyId, user.Id, credentialId,
                    (int)PasskeyError.SignCountRegression, nameof(PasskeyError.SignCountRegression), call.Client, TimeSpan.Zero), ct).ConfigureAwait(false);
            }
            await step.CommitAsync(ct).ConfigureAwait(false);
            return (user, credentialId, verified, hash, token, session);
        });
    }
}
