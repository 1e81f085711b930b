using System.Diagnostics;
using System.Security.Cryptography;

using System.Text.Json;

using Passkeys.Ceremonies;
using Passkeys.Protocol;

using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Security.Usernames;
using Passkeys.Server.Sessions;
using Passkeys.Server.Storage;
using Passkeys.Server.Tokens;

using Passkeys.Server.Metadata;

namespace Passkeys.Server.Ceremonies;

/// <summary>
/// Runs registration, authentication and step-up for a tenant: the library does the WebAuthn
/// checks; this class keeps the ceremony state in the store (consumed exactly once), decides which
/// user a ceremony is for, writes the result and issues the token (and, for a sign-in, starts a
/// session with its refresh token). Every begin, success and failure
/// is audited; a failed finish writes nothing else.
/// </summary>
/// <remarks>
/// Each step reads as begin → verify → one commit: it opens one <see cref="IStoreStep"/> (one
/// connection), reads what it needs, verifies with no lock held (tokens are signed then too), and
/// writes everything (consumed ceremony, credential, session, audit event) in one transaction. A
/// failed step rolls that back and commits instead the consumed ceremony and its failure event.
/// While a step's transaction is open nothing may write through <see cref="IPasskeyStore"/>
/// directly: on SQLite that write would wait for the gate the step holds.
/// </remarks>
public sealed class CeremonyService(
    IPasskeyStore store, RelyingParties parties, Access access, TokenService tokens, AuditLog audit, TimeProvider time,
    FakeCredentialSource fakes, SessionService sessions, AuthenticatorDirectory authenticators)
{
    private const int MaxNameLength = 64;
    private const int MaxTransactionLength = 4096;

    /// <summary>Registration begin; see docs/api.md for who may call it with what.</summary>
    public async Task<BeginResponse> BeginRegistrationAsync(CallContext call, Presented presented, RegistrationBeginRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var tenant = call.Tenant;
        // Not cancelled by the client going away: a step that has changed state must finish it (RunToCompletion).
        using var completion = RunToCompletion.Start();
        ct = completion.Token;
        await using var step = await store.BeginStepAsync(ct).ConfigureAwait(false);
        try
        {
            var (existing, pending, grant) = await ResolveRegistrantAsync(call, step, presented, request, ct).ConfigureAwait(false);
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
            });
            var id = await SaveAsync(step, tenant.Id, CeremonyKind.Registration, ceremony.State.Serialize(), ceremony.State.ExpiresAt,
                existing?.Id ?? pending!.Id, new CeremonyData { NewUser = pending, RecoveryGrant = grant, SignedIn = presented.ApiKey is null && presented.Bearer is not null }, ct).ConfigureAwait(false);
            await step.AppendAuditEventAsync(audit.Event(tenant.Id, Observability.Ceremonies.Registration, "started", id, existing?.Id ?? pending!.Id, null, null, null,
                call.Client, Stopwatch.GetElapsedTime(started)), ct).ConfigureAwait(false);
            await step.CommitAsync(ct).ConfigureAwait(false);
            return new BeginResponse(id, ParseJson(ceremony.OptionsJson));
        }
        catch (Exception e) when (e is ServerException or PasskeyException)
        {
            if (await FailAsync(step, call, Observability.Ceremonies.Registration, null, null, null, e, started, ct).ConfigureAwait(false) is { } lost)
            {
                throw lost;
            }
            throw;
        }
    }

    private async Task<(UserRecord? Existing, PendingUser? Pending, string? Grant)> ResolveRegistrantAsync(
        CallContext call, IStoreStep step, Presented presented, RegistrationBeginRequest request, CancellationToken ct)
    {
        var tenant = call.Tenant;
        if (presented.ApiKey is not null)
        {
            await access.RequireApiKeyAsync(tenant, presented, ct).ConfigureAwait(false);
            var u = request.User ?? throw new ServerException(ServerError.MalformedRequest, "user is required with an API key.");
            var userId = CheckText(u.Id, "user.id", 128);
            var user = await step.GetUserAsync(tenant.Id, userId, ct).ConfigureAwait(false);
            if (user is not null)
            {
                return (user, null, null);
            }
            var name = UsernameRules.Check(u.Name, "user.name");
            if (await step.GetUserByNameAsync(tenant.Id, name, ct).ConfigureAwait(false) is not null)
            {
                throw new ServerException(ServerError.UsernameTaken);
            }
            return (null, NewPending(userId, name, u.DisplayName), null);
        }
        if (presented.Bearer is not null)
        {
            var (_, user) = await access.RequireUserAsync(tenant, call.Issuer, presented, ct).ConfigureAwait(false);
            return (user, null, null);
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
            return (user, null, grantId);
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
        return (null, NewPending(Secrets.RandomId(16), selfName, self.DisplayName), null);
    }

    private static PendingUser NewPending(string id, string name, string? displayName) =>
        new(id, name, string.IsNullOrWhiteSpace(displayName) ? name : CheckText(displayName, "user.displayName", 256), Secrets.RandomId(32));

    /// <summary>
    /// Registration finish: verifies, then in one transaction consumes the ceremony (and a recovery
    /// grant), stores the credential (and new user), starts the session and writes the audit event.
    /// </summary>
    public async Task<RegistrationFinishResponse> FinishRegistrationAsync(CallContext call, FinishRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var tenant = call.Tenant;
        // Not cancelled by the client going away: a step that has changed state must finish it (RunToCompletion).
        using var completion = RunToCompletion.Start();
        ct = completion.Token;
        await using var step = await store.BeginStepAsync(ct).ConfigureAwait(false);
        string? userId = null;
        string? credentialId = null;
        try
        {
            // Read, verify, then write: the signature check holds no lock.
            var ceremony = await ReadCeremonyAsync(step, tenant.Id, request.CeremonyId, CeremonyKind.Registration, ct).ConfigureAwait(false);
            userId = ceremony.UserId;
            var name = request.Name is null ? null : CheckText(request.Name, "name", MaxNameLength);
            var data = CeremonyData.FromJson(ceremony.Data);
            var state = RegistrationState.Deserialize(ceremony.State);
            var registered = parties.For(tenant).FinishRegistration(ResponseJson(request.Response), state);
            var c = registered.Credential;
            credentialId = Secrets.Base64Url(c.Id);
            var now = time.GetUtcNow();
            var newUser = data.NewUser is { } p ? new UserRecord(tenant.Id, p.Id, Secrets.FromBase64Url(p.Handle)!, p.Name, p.DisplayName, now) : null;
            var user = newUser ?? await step.GetUserAsync(tenant.Id, ceremony.UserId!, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.UserNotFound);
            var row = new CredentialRecordRow(tenant.Id, c.Id, ceremony.UserId!, c.UserHandle, c.PublicKey, (int)c.Algorithm, c.SignCount,
                c.UvInitialized, c.BackupEligible, c.BackupState, c.Transports, c.Aaguid, c.AttestationFormat, c.AttestationTrusted, name, now, null);
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
                call.Client, Stopwatch.GetElapsedTime(started)), ct).ConfigureAwait(false);
            await step.CommitAsync(ct).ConfigureAwait(false);
            return session is null
                ? new RegistrationFinishResponse(Views.Of(user), Views.Of(row, user.DefaultCredentialId, authenticators), token!.Token, token.ExpiresAt)
                : new RegistrationFinishResponse(Views.Of(user), Views.Of(row, user.DefaultCredentialId, authenticators), session.Token, session.TokenExpiresAt,
                    session.RefreshToken, session.RefreshTokenExpiresAt, session.SessionId, session.SessionExpiresAt);
        }
        catch (Exception e) when (e is ServerException or PasskeyException)
        {
            if (await FailAsync(step, call, Observability.Ceremonies.Registration, (request.CeremonyId, CeremonyKind.Registration), userId, credentialId, e, started, ct).ConfigureAwait(false) is { } lost)
            {
                throw lost;
            }
            throw;
        }
    }

    /// <summary>Authentication begin: discoverable, or by username with allowCredentials (fakes for unknown users).</summary>
    public async Task<BeginResponse> BeginAuthenticationAsync(CallContext call, AuthenticationBeginRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var tenant = call.Tenant;
        // Not cancelled by the client going away: a step that has changed state must finish it (RunToCompletion).
        using var completion = RunToCompletion.Start();
        ct = completion.Token;
        await using var step = await store.BeginStepAsync(ct).ConfigureAwait(false);
        try
        {
            IReadOnlyList<CredentialDescriptor> allow = [];
            string? userId = null;
            if (request.Username is not null)
            {
                var name = CheckText(request.Username, "username", 256);
                var user = await step.GetUserByNameAsync(tenant.Id, name, ct).ConfigureAwait(false);
                var credentials = user is null ? [] : await step.ListCredentialsAsync(tenant.Id, user.Id, ct).ConfigureAwait(false);
                if (user is null || credentials.Count == 0)
                {
                    allow = await fakes.ForAsync(tenant.Id, name, ct).ConfigureAwait(false);
                }
                else
                {
                    userId = user.Id;
                    allow = OrderDefaultFirst(credentials, user.DefaultCredentialId);
                }
            }
            var ceremony = parties.For(tenant).BeginAuthentication(new AuthenticationRequest { AllowCredentials = allow });
            var id = await SaveAsync(step, tenant.Id, CeremonyKind.Authentication, ceremony.State.Serialize(), ceremony.State.ExpiresAt, userId, null, ct).ConfigureAwait(false);
            await step.AppendAuditEventAsync(audit.Event(tenant.Id, Observability.Ceremonies.Authentication, "started", id, userId, null, null, null,
                call.Client, Stopwatch.GetElapsedTime(started)), ct).ConfigureAwait(false);
            await step.CommitAsync(ct).ConfigureAwait(false);
            return new BeginResponse(id, ParseJson(ceremony.OptionsJson));
        }
        catch (Exception e) when (e is ServerException or PasskeyException)
        {
            if (await FailAsync(step, call, Observability.Ceremonies.Authentication, null, null, null, e, started, ct).ConfigureAwait(false) is { } lost)
            {
                throw lost;
            }
            throw;
        }
    }

    private static List<CredentialDescriptor> OrderDefaultFirst(IReadOnlyList<CredentialRecordRow> credentials, byte[]? defaultId) =>
        credentials.OrderByDescending(c => defaultId is not null && c.Id.AsSpan().SequenceEqual(defaultId))
            .Select(c => new CredentialDescriptor(c.Id, c.Transports)).ToList();

    /// <summary>Authentication finish: verifies the assertion against the stored credential and issues a token.</summary>
    public async Task<AuthenticationFinishResponse> FinishAuthenticationAsync(CallContext call, FinishRequest request, CancellationToken ct)
    {
        var (user, credentialId, verified, _, _, session) = await FinishAssertionAsync(call, request, CeremonyKind.Authentication, ct).ConfigureAwait(false);
        return new AuthenticationFinishResponse(Views.Of(user), credentialId, verified.UserVerified, session!.Token, session.TokenExpiresAt,
            session.RefreshToken, session.RefreshTokenExpiresAt, session.SessionId, session.SessionExpiresAt);
    }

    /// <summary>Step-up begin: binds SHA-256 of the transaction text into the challenge; UV required.</summary>
    public async Task<StepUpBeginResponse> BeginStepUpAsync(CallContext call, Presented presented, StepUpBeginRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var tenant = call.Tenant;
        // Not cancelled by the client going away: a step that has changed state must finish it (RunToCompletion).
        using var completion = RunToCompletion.Start();
        ct = completion.Token;
        await using var step = await store.BeginStepAsync(ct).ConfigureAwait(false);
        try
        {
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
                call.Client, Stopwatch.GetElapsedTime(started)), ct).ConfigureAwait(false);
            await step.CommitAsync(ct).ConfigureAwait(false);
            return new StepUpBeginResponse(id, hash, ParseJson(ceremony.OptionsJson));
        }
        catch (Exception e) when (e is ServerException or PasskeyException)
        {
            if (await FailAsync(step, call, Observability.Ceremonies.StepUp, null, null, null, e, started, ct).ConfigureAwait(false) is { } lost)
            {
                throw lost;
            }
            throw;
        }
    }

    /// <summary>Step-up finish: like authentication, for the user it was started for; the token carries <c>txn</c>.</summary>
    public async Task<StepUpFinishResponse> FinishStepUpAsync(CallContext call, FinishRequest request, CancellationToken ct)
    {
        var (user, credentialId, verified, hash, token, _) = await FinishAssertionAsync(call, request, CeremonyKind.StepUp, ct).ConfigureAwait(false);
        return new StepUpFinishResponse(Views.Of(user), credentialId, verified.UserVerified, hash!, token!.Token, token.ExpiresAt);
    }

    // Authentication starts a session (Session); step-up issues a one-off token carrying txn (Token).
    private async Task<(UserRecord User, string CredentialId, VerifiedAuthentication Verified, string? Hash, IssuedToken? Token, SessionTokens? Session)> FinishAssertionAsync(
        CallContext call, FinishRequest request, CeremonyKind kind, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var tenant = call.Tenant;
        // Not cancelled by the client going away: a step that has changed state must finish it (RunToCompletion).
        using var completion = RunToCompletion.Start();
        ct = completion.Token;
        await using var step = await store.BeginStepAsync(ct).ConfigureAwait(false);
        var name = Observability.Ceremonies.Of(kind);
        string? userId = null;
        string? credentialId = null;
        try
        {
            // Read, verify, then write: the signature check holds no lock.
            var ceremony = await ReadCeremonyAsync(step, tenant.Id, request.CeremonyId, kind, ct).ConfigureAwait(false);
            userId = ceremony.UserId;
            var json = ResponseJson(request.Response);
            var parsed = AuthenticationResponse.Parse(json);
            var rawId = parsed.CredentialId.ToArray();
            credentialId = Secrets.Base64Url(rawId);
            var row = await step.GetCredentialAsync(tenant.Id, rawId, ct).ConfigureAwait(false)
                ?? throw new PasskeyException(PasskeyError.CredentialNotFound, "no credential with this id in the tenant");
            if (ceremony.UserId is not null && row.UserId != ceremony.UserId)
            {
                throw new PasskeyException(PasskeyError.UserHandleMismatch, "the credential belongs to another user than the ceremony was started for");
            }
            userId = row.UserId;
            var state = AuthenticationState.Deserialize(ceremony.State);
            var verified = parties.For(tenant).FinishAuthentication(json, state, ToLibrary(row));
            var now = time.GetUtcNow();
            var user = await step.GetUserAsync(tenant.Id, row.UserId, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.UserNotFound);
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
                call.Client, Stopwatch.GetElapsedTime(started)), ct).ConfigureAwait(false);
            await step.CommitAsync(ct).ConfigureAwait(false);
            return (user, credentialId, verified, hash, token, session);
        }
        catch (Exception e) when (e is ServerException or PasskeyException)
        {
            if (await FailAsync(step, call, name, (request.CeremonyId, kind), userId, credentialId, e, started, ct).ConfigureAwait(false) is { } lost)
            {
                throw lost;
            }
            throw;
        }
    }

    private static CredentialRecord ToLibrary(CredentialRecordRow row) => new()
    {
        Id = row.Id,
        UserHandle = row.UserHandle,
        PublicKey = row.PublicKey,
        Algorithm = (Passkeys.Cose.CoseAlgorithm)row.Algorithm,
        SignCount = (uint)Math.Clamp(row.SignCount, 0, uint.MaxValue),
        UvInitialized = row.UvInitialized,
        BackupEligible = row.BackupEligible,
        BackupState = row.BackupState,
        Transports = row.Transports,
        Aaguid = row.Aaguid,
        AttestationFormat = row.AttestationFormat,
        AttestationTrusted = row.AttestationTrusted,
    };

    private async Task<string> SaveAsync(IStoreStep step, string tenantId, CeremonyKind kind, byte[] state, DateTimeOffset expiresAt, string? userId, CeremonyData? data,
        CancellationToken ct)
    {
        var id = Secrets.RandomId(16);
        await step.SaveCeremonyAsync(new CeremonyRecord(tenantId, id, kind, state, userId, data?.ToJson(), time.GetUtcNow(), expiresAt), ct).ConfigureAwait(false);
        return id;
    }

    /// <summary>
    /// Reads the ceremony a finish names, without consuming it: it is consumed in the step's
    /// transaction, after verification (<see cref="ConsumeVerifiedAsync"/>) or by the failure path
    /// (<see cref="FailAsync"/>), so a response can be tried exactly once either way.
    /// </summary>
    private async Task<CeremonyRecord> ReadCeremonyAsync(IStoreStep step, string tenantId, string? ceremonyId, CeremonyKind kind, CancellationToken ct)
    {
        if (!IsCeremonyId(ceremonyId))
        {
            throw new ServerException(ServerError.CeremonyNotFound);
        }
        var ceremony = await step.GetCeremonyAsync(tenantId, ceremonyId!, ct).ConfigureAwait(false);
        if (ceremony is null || ceremony.Kind != kind)
        {
            throw new ServerException(ServerError.CeremonyNotFound);
        }
        if (ceremony.ExpiresAt <= time.GetUtcNow())
        {
            throw new PasskeyException(PasskeyError.CeremonyExpired, $"the ceremony expired at {ceremony.ExpiresAt:O}");
        }
        return ceremony;
    }

    // Ids are base64url (Secrets.RandomId): anything else names no ceremony, and is refused
    // before it reaches the store (PostgreSQL cannot even compare text holding NUL).
    private static bool IsCeremonyId(string? ceremonyId) =>
        !string.IsNullOrEmpty(ceremonyId) && ceremonyId.Length <= 64 && !ceremonyId.AsSpan().ContainsAnyExcept(Base64UrlCharacters);

    private static readonly System.Buffers.SearchValues<char> Base64UrlCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>
    /// Consumes the ceremony a verified response answered, in the step's transaction. Of racing
    /// finishes of one ceremony (on any node) only the one whose <c>DELETE … RETURNING</c> gets the
    /// row may commit a success; the others fail here as if they had come after it.
    /// </summary>
    private static async Task ConsumeVerifiedAsync(IStoreStep step, CeremonyRecord ceremony, CancellationToken ct)
    {
        if (await step.ConsumeCeremonyAsync(ceremony.TenantId, ceremony.Id, ceremony.Kind, ct).ConfigureAwait(false) is null)
        {
            throw new ServerException(ServerError.CeremonyNotFound);
        }
    }

    /// <summary>
    /// The failure path of a step: whatever the step wrote is rolled back, then, in one commit, the
    /// finished ceremony (<paramref name="finished"/>, when the request named one) is consumed (a
    /// response is tried once; an expired one is gone) and the failure event written.
    /// </summary>
    /// <returns>
    /// Null to rethrow <paramref name="e"/>; or CeremonyNotFound when the ceremony had already been
    /// consumed by a racing finish: this one lost the race, and what its verification said
    /// (typically a signature counter that the winner had just advanced) is only a consequence of
    /// that, not a finding about the authenticator.
    /// </returns>
    private async Task<Exception?> FailAsync(IStoreStep step, CallContext call, string ceremony, (string? Id, CeremonyKind Kind)? finished, string? userId, string? credentialId,
        Exception e, long started, CancellationToken ct)
    {
        var (code, name) = e switch
        {
            PasskeyException p => ((int)p.Error, p.Error.ToString()),
            ServerException s => ((int)s.Error, s.Error.ToString()),
            _ => ((int)ServerError.Internal, nameof(ServerError.Internal)),
        };
        await step.RollbackAsync(ct).ConfigureAwait(false);
        Exception? lost = null;
        if (finished is { Id: var id, Kind: var kind } && IsCeremonyId(id)
            && await step.ConsumeCeremonyAsync(call.Tenant.Id, id!, kind, ct).ConfigureAwait(false) is null
            && e is not ServerException { Error: ServerError.CeremonyNotFound })
        {
            lost = new ServerException(ServerError.CeremonyNotFound);
            (code, name) = ((int)ServerError.CeremonyNotFound, nameof(ServerError.CeremonyNotFound));
        }
        await step.AppendAuditEventAsync(audit.Event(call.Tenant.Id, ceremony, "failed", finished?.Id, userId, credentialId, code, name, call.Client,
            Stopwatch.GetElapsedTime(started)), ct).ConfigureAwait(false);
        await step.CommitAsync(ct).ConfigureAwait(false);
        return lost;
    }

    private static string ResponseJson(JsonElement response)
    {
        if (response.ValueKind != JsonValueKind.Object)
        {
            throw new PasskeyException(PasskeyError.MalformedResponse, $"response must be a JSON object, not {response.ValueKind}");
        }
        return response.GetRawText();
    }

    private static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Trims and checks a text value: required, at most <paramref name="max"/> characters, no control characters.</summary>
    public static string CheckText(string? value, string field, int max)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v))
        {
            throw new ServerException(ServerError.ValidationFailed, $"{field} is required.");
        }
        if (v.Length > max || v.Any(char.IsControl))
        {
            throw new ServerException(ServerError.ValidationFailed, $"{field} must be at most {max} characters without control characters.");
        }
        return v;
    }
}
