using System.Diagnostics;
using System.Security.Cryptography;

using System.Text.Json;

using Passkeys.Ceremonies;
using Passkeys.Protocol;

using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Sessions;
using Passkeys.Server.Storage;
using Passkeys.Server.Tokens;

namespace Passkeys.Server.Ceremonies;

/// <summary>
/// Runs registration, authentication and step-up for a tenant: the library does the WebAuthn
/// checks; this class keeps the ceremony state in the store (consumed exactly once), decides which
/// user a ceremony is for, writes the result and issues the token (and, for a sign-in, starts a
/// session with its refresh token). Every begin, success and failure
/// is audited; a failed finish writes nothing else.
/// </summary>
public sealed class CeremonyService(
    IPasskeyStore store, RelyingParties parties, Access access, TokenService tokens, AuditLog audit, TimeProvider time,
    FakeCredentialSource fakes, SessionService sessions)
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
        try
        {
            var (existing, pending, grant) = await ResolveRegistrantAsync(call, presented, request, ct).ConfigureAwait(false);
            var handle = existing?.Handle ?? Secrets.FromBase64Url(pending!.Handle)!;
            var exclude = existing is null ? [] : (await store.ListCredentialsAsync(tenant.Id, existing.Id, ct).ConfigureAwait(false))
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
            var id = await SaveAsync(tenant.Id, CeremonyKind.Registration, ceremony.State.Serialize(), ceremony.State.ExpiresAt,
                existing?.Id ?? pending!.Id, new CeremonyData { NewUser = pending, RecoveryGrant = grant, SignedIn = presented.ApiKey is null && presented.Bearer is not null }, ct).ConfigureAwait(false);
            await audit.RecordAsync(tenant.Id, Observability.Ceremonies.Registration, "started", id, existing?.Id ?? pending!.Id, null, null, null,
                call.Client, Stopwatch.GetElapsedTime(started), ct).ConfigureAwait(false);
            return new BeginResponse(id, ParseJson(ceremony.OptionsJson));
        }
        catch (Exception e) when (e is ServerException or PasskeyException)
        {
            await AuditFailureAsync(call, Observability.Ceremonies.Registration, null, null, null, e, started, ct).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<(UserRecord? Existing, PendingUser? Pending, string? Grant)> ResolveRegistrantAsync(
        CallContext call, Presented presented, RegistrationBeginRequest request, CancellationToken ct)
    {
        var tenant = call.Tenant;
        if (presented.ApiKey is not null)
        {
            await access.RequireApiKeyAsync(tenant, presented, ct).ConfigureAwait(false);
            var u = request.User ?? throw new ServerException(ServerError.MalformedRequest, "user is required with an API key.");
            var userId = CheckText(u.Id, "user.id", 128);
            var user = await store.GetUserAsync(tenant.Id, userId, ct).ConfigureAwait(false);
            if (user is not null)
            {
                return (user, null, null);
            }
            var name = CheckText(u.Name, "user.name", 256);
            if (await store.GetUserByNameAsync(tenant.Id, name, ct).ConfigureAwait(false) is not null)
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
            var grant = await store.ConsumeCeremonyAsync(tenant.Id, "grant:" + request.RecoveryGrant, ct).ConfigureAwait(false);
            if (grant is null || grant.Kind != CeremonyKind.RecoveryGrant || grant.ExpiresAt <= time.GetUtcNow() || grant.UserId is null)
            {
                throw new ServerException(ServerError.Unauthorized, "The recovery grant is not valid. Redeem a recovery code again.");
            }
            await store.SaveCeremonyAsync(grant, ct).ConfigureAwait(false);
            var user = await store.GetUserAsync(tenant.Id, grant.UserId, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.Unauthorized);
            return (user, null, request.RecoveryGrant);
        }
        if (!tenant.SelfSignUp)
        {
            throw new ServerException(ServerError.Forbidden, "This site does not allow signing up here. Use the app's sign-up page.");
        }
        var self = request.User ?? throw new ServerException(ServerError.MalformedRequest, "user is required for sign-up.");
        var selfName = CheckText(self.Name, "user.name", 256);
        if (await store.GetUserByNameAsync(tenant.Id, selfName, ct).ConfigureAwait(false) is not null)
        {
            throw new ServerException(ServerError.UsernameTaken);
        }
        return (null, NewPending(Secrets.RandomId(16), selfName, self.DisplayName), null);
    }

    private static PendingUser NewPending(string id, string name, string? displayName) =>
        new(id, name, string.IsNullOrWhiteSpace(displayName) ? name : CheckText(displayName, "user.displayName", 256), Secrets.RandomId(32));

    /// <summary>Registration finish: verifies, stores the credential (and new user) in one transaction, issues a token.</summary>
    public async Task<RegistrationFinishResponse> FinishRegistrationAsync(CallContext call, FinishRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var tenant = call.Tenant;
        // Not cancelled by the client going away: a step that has changed state must finish it (RunToCompletion).
        using var completion = RunToCompletion.Start();
        ct = completion.Token;
        string? userId = null;
        string? credentialId = null;
        try
        {
            var ceremony = await ConsumeAsync(tenant.Id, request.CeremonyId, CeremonyKind.Registration, ct).ConfigureAwait(false);
            userId = ceremony.UserId;
            var name = request.Name is null ? null : CheckText(request.Name, "name", MaxNameLength);
            var data = CeremonyData.FromJson(ceremony.Data);
            var state = RegistrationState.Deserialize(ceremony.State);
            var registered = parties.For(tenant).FinishRegistration(ResponseJson(request.Response), state);
            var c = registered.Credential;
            credentialId = Secrets.Base64Url(c.Id);
            var now = time.GetUtcNow();
            if (data.RecoveryGrant is { } recoveryGrant)
            {
                // Spend the recovery grant now that the new passkey is verified; a grant used by a
                // concurrent registration is gone, and this one fails.
                var spent = await store.ConsumeCeremonyAsync(tenant.Id, "grant:" + recoveryGrant, ct).ConfigureAwait(false);
                if (spent is null || spent.ExpiresAt <= now || spent.UserId != ceremony.UserId)
                {
                    throw new ServerException(ServerError.Unauthorized, "The recovery grant was already used or has expired. Redeem a recovery code again.");
                }
            }
            var newUser = data.NewUser is { } p ? new UserRecord(tenant.Id, p.Id, Secrets.FromBase64Url(p.Handle)!, p.Name, p.DisplayName, now) : null;
            var row = new CredentialRecordRow(tenant.Id, c.Id, ceremony.UserId!, c.UserHandle, c.PublicKey, (int)c.Algorithm, c.SignCount,
                c.UvInitialized, c.BackupEligible, c.BackupState, c.Transports, c.Aaguid, c.AttestationFormat, c.AttestationTrusted, name, now, null);
            switch (await store.AddCredentialAsync(row, newUser, ct).ConfigureAwait(false))
            {
                case AddCredentialResult.CredentialExists:
                    throw new PasskeyException(PasskeyError.CredentialAlreadyRegistered, "the credential id is already registered (store unique index)");
                case AddCredentialResult.UserExists:
                    throw new ServerException(ServerError.UsernameTaken);
                case AddCredentialResult.UserMissing:
                    throw new ServerException(ServerError.UserNotFound);
            }
            var user = newUser ?? await store.GetUserAsync(tenant.Id, row.UserId, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.UserNotFound);
            RegistrationFinishResponse response;
            if (data.SignedIn)
            {
                // Another passkey for a signed-in user: a token as before, and the existing session goes on.
                var token = await tokens.IssueAsync(tenant.Id, call.Issuer, new TokenSubject(user.Id, credentialId, registered.UserVerified, now, null), ct).ConfigureAwait(false);
                response = new RegistrationFinishResponse(Views.Of(user), Views.Of(row, user.DefaultCredentialId), token.Token, token.ExpiresAt);
            }
            else
            {
                var session = await sessions.StartAsync(call, user.Id, c.Id, registered.UserVerified, now, ct).ConfigureAwait(false);
                response = new RegistrationFinishResponse(Views.Of(user), Views.Of(row, user.DefaultCredentialId), session.Token, session.TokenExpiresAt,
                    session.RefreshToken, session.RefreshTokenExpiresAt, session.SessionId, session.SessionExpiresAt);
            }
            await audit.RecordAsync(tenant.Id, Observability.Ceremonies.Registration, "succeeded", request.CeremonyId, user.Id, credentialId, null, null,
                call.Client, Stopwatch.GetElapsedTime(started), ct).ConfigureAwait(false);
            return response;
        }
        catch (Exception e) when (e is ServerException or PasskeyException)
        {
            await AuditFailureAsync(call, Observability.Ceremonies.Registration, request.CeremonyId, userId, credentialId, e, started, ct).ConfigureAwait(false);
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
        try
        {
            IReadOnlyList<CredentialDescriptor> allow = [];
            string? userId = null;
            if (request.Username is not null)
            {
                var name = CheckText(request.Username, "username", 256);
                var user = await store.GetUserByNameAsync(tenant.Id, name, ct).ConfigureAwait(false);
                var credentials = user is null ? [] : await store.ListCredentialsAsync(tenant.Id, user.Id, ct).ConfigureAwait(false);
                if (user is null || credentials.Count == 0)
                {
                    allow = fakes.For(tenant.Id, name);
                }
                else
                {
                    userId = user.Id;
                    allow = OrderDefaultFirst(credentials, user.DefaultCredentialId);
                }
            }
            var ceremony = parties.For(tenant).BeginAuthentication(new AuthenticationRequest { AllowCredentials = allow });
            var id = await SaveAsync(tenant.Id, CeremonyKind.Authentication, ceremony.State.Serialize(), ceremony.State.ExpiresAt, userId, null, ct).ConfigureAwait(false);
            await audit.RecordAsync(tenant.Id, Observability.Ceremonies.Authentication, "started", id, userId, null, null, null,
                call.Client, Stopwatch.GetElapsedTime(started), ct).ConfigureAwait(false);
            return new BeginResponse(id, ParseJson(ceremony.OptionsJson));
        }
        catch (Exception e) when (e is ServerException or PasskeyException)
        {
            await AuditFailureAsync(call, Observability.Ceremonies.Authentication, null, null, null, e, started, ct).ConfigureAwait(false);
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
        try
        {
            UserRecord user;
            if (presented.ApiKey is not null)
            {
                await access.RequireApiKeyAsync(tenant, presented, ct).ConfigureAwait(false);
                var userId = CheckText(request.UserId, "userId", 128);
                user = await store.GetUserAsync(tenant.Id, userId, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.UserNotFound);
            }
            else
            {
                (_, user) = await access.RequireUserAsync(tenant, call.Issuer, presented, ct).ConfigureAwait(false);
            }
            var transaction = CheckText(request.Transaction, "transaction", MaxTransactionLength);
            var credentials = await store.ListCredentialsAsync(tenant.Id, user.Id, ct).ConfigureAwait(false);
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
            var id = await SaveAsync(tenant.Id, CeremonyKind.StepUp, ceremony.State.Serialize(), ceremony.State.ExpiresAt, user.Id,
                new CeremonyData { TransactionHash = hash }, ct).ConfigureAwait(false);
            await audit.RecordAsync(tenant.Id, Observability.Ceremonies.StepUp, "started", id, user.Id, null, null, null,
                call.Client, Stopwatch.GetElapsedTime(started), ct).ConfigureAwait(false);
            return new StepUpBeginResponse(id, hash, ParseJson(ceremony.OptionsJson));
        }
        catch (Exception e) when (e is ServerException or PasskeyException)
        {
            await AuditFailureAsync(call, Observability.Ceremonies.StepUp, null, null, null, e, started, ct).ConfigureAwait(false);
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
        var name = Observability.Ceremonies.Of(kind);
        string? userId = null;
        string? credentialId = null;
        try
        {
            var ceremony = await ConsumeAsync(tenant.Id, request.CeremonyId, kind, ct).ConfigureAwait(false);
            userId = ceremony.UserId;
            var json = ResponseJson(request.Response);
            var parsed = AuthenticationResponse.Parse(json);
            var rawId = parsed.CredentialId.ToArray();
            credentialId = Secrets.Base64Url(rawId);
            var row = await store.GetCredentialAsync(tenant.Id, rawId, ct).ConfigureAwait(false)
                ?? throw new PasskeyException(PasskeyError.CredentialNotFound, "no credential with this id in the tenant");
            if (ceremony.UserId is not null && row.UserId != ceremony.UserId)
            {
                throw new PasskeyException(PasskeyError.UserHandleMismatch, "the credential belongs to another user than the ceremony was started for");
            }
            userId = row.UserId;
            var state = AuthenticationState.Deserialize(ceremony.State);
            var verified = parties.For(tenant).FinishAuthentication(json, state, ToLibrary(row));
            var now = time.GetUtcNow();
            await store.RecordCredentialUseAsync(tenant.Id, rawId, verified.UpdatedCredential.SignCount, verified.UpdatedCredential.BackupState,
                verified.UpdatedCredential.UvInitialized, now, ct).ConfigureAwait(false);
            var user = await store.GetUserAsync(tenant.Id, row.UserId, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.UserNotFound);
            var hash = CeremonyData.FromJson(ceremony.Data).TransactionHash;
            var session = kind == CeremonyKind.Authentication
                ? await sessions.StartAsync(call, user.Id, rawId, verified.UserVerified, now, ct).ConfigureAwait(false)
                : null;
            var token = session is null
                ? await tokens.IssueAsync(tenant.Id, call.Issuer, new TokenSubject(user.Id, credentialId, verified.UserVerified, now, hash), ct).ConfigureAwait(false)
                : null;
            await audit.RecordAsync(tenant.Id, name, "succeeded", request.CeremonyId, user.Id, credentialId, null, null,
                call.Client, Stopwatch.GetElapsedTime(started), ct).ConfigureAwait(false);
            return (user, credentialId, verified, hash, token, session);
        }
        catch (Exception e) when (e is ServerException or PasskeyException)
        {
            await AuditFailureAsync(call, name, request.CeremonyId, userId, credentialId, e, started, ct).ConfigureAwait(false);
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

    private async Task<string> SaveAsync(string tenantId, CeremonyKind kind, byte[] state, DateTimeOffset expiresAt, string? userId, CeremonyData? data, CancellationToken ct)
    {
        var id = Secrets.RandomId(16);
        await store.SaveCeremonyAsync(new CeremonyRecord(tenantId, id, kind, state, userId, data?.ToJson(), time.GetUtcNow(), expiresAt), ct).ConfigureAwait(false);
        return id;
    }

    private static readonly System.Buffers.SearchValues<char> Base64UrlCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private async Task<CeremonyRecord> ConsumeAsync(string tenantId, string? ceremonyId, CeremonyKind kind, CancellationToken ct)
    {
        // Ids are base64url (Secrets.RandomId): anything else names no ceremony, and is refused
        // before it reaches the store (PostgreSQL cannot even compare text holding NUL).
        if (string.IsNullOrEmpty(ceremonyId) || ceremonyId.Length > 64 || ceremonyId.AsSpan().ContainsAnyExcept(Base64UrlCharacters))
        {
            throw new ServerException(ServerError.CeremonyNotFound);
        }
        // Consumed first, whatever happens next: a response can be tried exactly once.
        var ceremony = await store.ConsumeCeremonyAsync(tenantId, ceremonyId, ct).ConfigureAwait(false);
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

    private async Task AuditFailureAsync(CallContext call, string ceremony, string? ceremonyId, string? userId, string? credentialId, Exception e, long started, CancellationToken ct)
    {
        var (code, name) = e switch
        {
            PasskeyException p => ((int)p.Error, p.Error.ToString()),
            ServerException s => ((int)s.Error, s.Error.ToString()),
            _ => ((int)ServerError.Internal, nameof(ServerError.Internal)),
        };
        await audit.RecordAsync(call.Tenant.Id, ceremony, "failed", ceremonyId, userId, credentialId, code, name, call.Client,
            Stopwatch.GetElapsedTime(started), ct).ConfigureAwait(false);
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
