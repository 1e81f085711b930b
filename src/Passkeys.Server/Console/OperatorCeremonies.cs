using System.Diagnostics;
using System.Text.Json;
using Passkeys.Ceremonies;
using Passkeys.Protocol;
using Passkeys.Server.Ceremonies;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;

namespace Passkeys.Server.OperatorConsole;

/// <summary>
/// Operator enrolment (registration with a one-time link) and sign-in (discoverable authentication)
/// against the console tenant. The WebAuthn checks are the library's <see cref="RelyingParty"/>
/// (through <see cref="RelyingParties"/>, as for any tenant); each step is begin → verify → one
/// commit, like <see cref="CeremonyService"/>: the ceremony is consumed, the invitation spent, the
/// operator, passkey and session written and the audit event appended in one transaction.
/// </summary>
public sealed class OperatorCeremonies(
    IPasskeyStore store, ConsoleTenant console, RelyingParties parties, OperatorSessions sessions, OperatorInvitations invitations,
    AuditLog audit, TimeProvider time)
{
    private const int MaxNameLength = 64;

    // What a registration ceremony carries from begin to finish (ceremonies.data).
    private sealed record Enrolment(string InvitationId, string OperatorId, string Name, string Handle);

    /// <summary>Enrolment begin: checks the link (not yet spent) and offers a new passkey for a new operator.</summary>
    public async Task<OperatorCeremonyBegun> BeginEnrolmentAsync(OperatorEnrolmentBeginRequest request, ClientInfo client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var tenant = await console.GetAsync(ct).ConfigureAwait(false);
        var name = CeremonyService.CheckText(request.Name, "name", MaxNameLength);
        await using var step = await store.BeginStepAsync(ct).ConfigureAwait(false);
        var invitation = await invitations.FindLiveAsync(step, request.Invitation, ct).ConfigureAwait(false);
        if (await step.GetUserByNameAsync(tenant.Id, name, ct).ConfigureAwait(false) is not null)
        {
            throw new ServerException(ServerError.Conflict, $"An operator named '{name}' exists already. Choose another name.");
        }
        var handle = Secrets.RandomId(32);
        var enrolment = new Enrolment(invitation.Id, Secrets.RandomId(12), name, handle);
        var ceremony = parties.For(tenant).BeginRegistration(new RegistrationRequest
        {
            User = new UserIdentity(Secrets.FromBase64Url(handle)!, name, name),
        });
        var begunAt = time.GetUtcNow();
        var id = Secrets.TimeOrderedId(begunAt);
        await step.SaveCeremonyAsync(new CeremonyRecord(tenant.Id, id, CeremonyKind.Registration, ceremony.State.Serialize(), enrolment.OperatorId,
            JsonSerializer.Serialize(enrolment), begunAt, ceremony.State.ExpiresAt), ct).ConfigureAwait(false);
        await step.AppendAuditEventAsync(audit.Event(tenant.Id, Observability.Ceremonies.Registration, "started", id, enrolment.OperatorId, null, null, null,
            client, Stopwatch.GetElapsedTime(started)), ct).ConfigureAwait(false);
        await step.CommitAsync(ct).ConfigureAwait(false);
        return new OperatorCeremonyBegun(id, Parse(ceremony.OptionsJson));
    }

    /// <summary>Enrolment finish: verifies the new passkey, spends the link, creates the operator and signs them in.</summary>
    public Task<(OperatorSessionView View, string Secret)> FinishEnrolmentAsync(OperatorCeremonyFinish request, ClientInfo client, CancellationToken ct) =>
        RunFinishAsync(request, CeremonyKind.Registration, Observability.Ceremonies.Registration, client, ct, async (step, tenant, ceremony, finish, ct) =>
        {
            var enrolment = JsonSerializer.Deserialize<Enrolment>(ceremony.Data!)!;
            finish.OperatorId = enrolment.OperatorId;
            // §7.1 (every registration step, in the library): origin, rpIdHash, UP and UV (required), algorithm, attestation.
            var registered = parties.For(tenant).FinishRegistration(ResponseJson(request.Response), RegistrationState.Deserialize(ceremony.State));
            var c = registered.Credential;
            var now = time.GetUtcNow();
            var user = new UserRecord(tenant.Id, enrolment.OperatorId, Secrets.FromBase64Url(enrolment.Handle)!, enrolment.Name, enrolment.Name, now);
            var row = new CredentialRecordRow(tenant.Id, c.Id, user.Id, c.UserHandle, c.PublicKey, (int)c.Algorithm, c.SignCount, c.UvInitialized, c.BackupEligible,
                c.BackupState, c.Transports, c.Aaguid, c.AttestationFormat, c.AttestationTrusted, null, now, null);
            var (session, hash, secret) = sessions.Prepare(user.Id, c.Id, client);
            // One transaction: ceremony consumed, link spent, operator and passkey created, session started, event written.
            await ConsumeAsync(step, ceremony, ct).ConfigureAwait(false);
            await invitations.SpendAsync(step, enrolment.InvitationId, ct).ConfigureAwait(false);
            switch (await step.AddCredentialAsync(row, user, ct).ConfigureAwait(false))
            {
                case AddCredentialResult.CredentialExists:
                    throw new PasskeyException(PasskeyError.CredentialAlreadyRegistered, "the credential id is already registered (store unique index)");
                case AddCredentialResult.UserExists:
                    throw new ServerException(ServerError.Conflict, $"An operator named '{enrolment.Name}' exists already. Choose another name.");
            }
            if (!await step.CreateSessionAsync(session, hash, ct).ConfigureAwait(false))
            {
                throw new ServerException(ServerError.CredentialNotFound);
            }
            await step.AppendAuditEventAsync(audit.Event(tenant.Id, Observability.Ceremonies.Registration, "succeeded", request.CeremonyId, user.Id,
                Secrets.Base64Url(c.Id), null, null, client, finish.Elapsed), ct).ConfigureAwait(false);
            await step.CommitAsync(ct).ConfigureAwait(false);
            return (new OperatorSessionView(new OperatorView(user.Id, user.DisplayName, now, 1), OperatorSessions.CsrfTokenOf(secret), session.IdleExpiresAt,
                session.ExpiresAt), secret);
        });

    /// <summary>Sign-in begin: a discoverable request (no operator names are revealed), user verification required.</summary>
    public async Task<OperatorCeremonyBegun> BeginSignInAsync(ClientInfo client, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var tenant = await console.GetAsync(ct).ConfigureAwait(false);
        var ceremony = parties.For(tenant).BeginAuthentication(new AuthenticationRequest { UserVerification = UserVerificationRequirement.Required });
        var begunAt = time.GetUtcNow();
        var id = Secrets.TimeOrderedId(begunAt);
        await using var step = await store.BeginStepAsync(ct).ConfigureAwait(false);
        await step.SaveCeremonyAsync(new CeremonyRecord(tenant.Id, id, CeremonyKind.Authentication, ceremony.State.Serialize(), null, null, begunAt,
            ceremony.State.ExpiresAt), ct).ConfigureAwait(false);
        await step.AppendAuditEventAsync(audit.Event(tenant.Id, Observability.Ceremonies.Authentication, "started", id, null, null, null, null, client,
            Stopwatch.GetElapsedTime(started)), ct).ConfigureAwait(false);
        await step.CommitAsync(ct).ConfigureAwait(false);
        return new OperatorCeremonyBegun(id, Parse(ceremony.OptionsJson));
    }

    /// <summary>Sign-in finish: verifies the assertion with the operator's stored passkey and starts an operator session.</summary>
    public Task<(OperatorSessionView View, string Secret)> FinishSignInAsync(OperatorCeremonyFinish request, ClientInfo client, CancellationToken ct) =>
        RunFinishAsync(request, CeremonyKind.Authentication, Observability.Ceremonies.Authentication, client, ct, async (step, tenant, ceremony, finish, ct) =>
        {
            var json = ResponseJson(request.Response);
            var rawId = AuthenticationResponse.Parse(json).CredentialId.ToArray();
            // Only passkeys of the console tenant: an app user's passkey for the same rpId names no row here.
            // The passkey and its operator in one read; a missing operator is still refused only after verifying, as before.
            var found = await step.GetCredentialWithUserAsync(tenant.Id, rawId, ct).ConfigureAwait(false)
                ?? throw new PasskeyException(PasskeyError.CredentialNotFound, "no operator passkey with this id");
            var row = found.Credential;
            finish.OperatorId = row.UserId;
            if (row.Status == CredentialStatus.Suspended)
            {
                throw new ServerException(ServerError.CredentialSuspended, "This operator passkey is turned off.");
            }
            // §7.2 (every authentication step, in the library): user handle, origin, rpIdHash, UP and UV (required), signature, counter.
            var verified = parties.For(tenant).FinishAuthentication(json, AuthenticationState.Deserialize(ceremony.State), CeremonyService.ToLibrary(row));
            var user = found.User ?? throw new ServerException(ServerError.Unauthorized, "This operator was removed.");
            var now = time.GetUtcNow();
            var (session, hash, secret) = sessions.Prepare(user.Id, rawId, client);
            await ConsumeAsync(step, ceremony, ct).ConfigureAwait(false);
            await step.RecordCredentialUseAsync(tenant.Id, rawId, verified.UpdatedCredential.SignCount, verified.UpdatedCredential.BackupState,
                verified.UpdatedCredential.UvInitialized, now, ct).ConfigureAwait(false);
            if (!await step.CreateSessionAsync(session, hash, ct).ConfigureAwait(false))
            {
                throw new ServerException(ServerError.Unauthorized, "This operator was removed.");
            }
            await step.AppendAuditEventAsync(audit.Event(tenant.Id, Observability.Ceremonies.Authentication, "succeeded", request.CeremonyId, user.Id,
                Secrets.Base64Url(rawId), null, null, client, finish.Elapsed), ct).ConfigureAwait(false);
            await step.CommitAsync(ct).ConfigureAwait(false);
            var passkeys = (await store.ListCredentialsAsync(tenant.Id, user.Id, ct).ConfigureAwait(false)).Count;
            return (new OperatorSessionView(new OperatorView(user.Id, user.DisplayName, user.CreatedAt, passkeys), OperatorSessions.CsrfTokenOf(secret),
                session.IdleExpiresAt, session.ExpiresAt), secret);
        });

    /// <summary>What a finish learns as it goes that its failure event needs.</summary>
    private sealed class FinishTrace(long started)
    {
        /// <summary>The operator the response turned out to be about, once known.</summary>
        public string? OperatorId { get; set; }

        public TimeSpan Elapsed => Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// The frame both finishes run in: one step (one transaction) under a cancellation the client
    /// going away does not trigger (<see cref="RunToCompletion"/>), the named ceremony read and
    /// checked first, and a refusal rolled back and recorded by <see cref="FailAsync"/>.
    /// </summary>
    private async Task<T> RunFinishAsync<T>(OperatorCeremonyFinish request, CeremonyKind kind, string name, ClientInfo client, CancellationToken ct,
        Func<IStoreStep, TenantRecord, CeremonyRecord, FinishTrace, CancellationToken, Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var tenant = await console.GetAsync(ct).ConfigureAwait(false);
        using var completion = RunToCompletion.Start();
        ct = completion.Token;
        await using var step = await store.BeginStepAsync(ct).ConfigureAwait(false);
        var finish = new FinishTrace(started);
        try
        {
            var ceremony = await ReadAsync(step, tenant.Id, request.CeremonyId, kind, ct).ConfigureAwait(false);
            return await body(step, tenant, ceremony, finish, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ServerException or PasskeyException)
        {
            await FailAsync(step, tenant.Id, name, request.CeremonyId, kind, finish.OperatorId, e, client, started, ct).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<CeremonyRecord> ReadAsync(IStoreStep step, string tenantId, string? ceremonyId, CeremonyKind kind, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(ceremonyId) || ceremonyId.Length > 64 || Secrets.FromBase64Url(ceremonyId) is null)
        {
            throw new ServerException(ServerError.CeremonyNotFound);
        }
        var ceremony = await step.GetCeremonyAsync(tenantId, ceremonyId, ct).ConfigureAwait(false);
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

    // Of racing finishes only the one whose DELETE … RETURNING gets the row may commit.
    private static async Task ConsumeAsync(IStoreStep step, CeremonyRecord ceremony, CancellationToken ct)
    {
        if (await step.ConsumeCeremonyAsync(ceremony.TenantId, ceremony.Id, ceremony.Kind, ct).ConfigureAwait(false) is null)
        {
            throw new ServerException(ServerError.CeremonyNotFound);
        }
    }

    // The failure path: roll back, consume the ceremony (a response is tried once) and write the failure event.
    private async Task FailAsync(IStoreStep step, string tenantId, string name, string? ceremonyId, CeremonyKind kind, string? operatorId, Exception e,
        ClientInfo client, long started, CancellationToken ct)
    {
        var (code, error) = e switch
        {
            PasskeyException p => ((int)p.Error, p.Error.ToString()),
            ServerException s => ((int)s.Error, s.Error.ToString()),
            _ => ((int)ServerError.Internal, nameof(ServerError.Internal)),
        };
        await step.RollbackAsync(ct).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(ceremonyId) && ceremonyId.Length <= 64 && Secrets.FromBase64Url(ceremonyId) is not null)
        {
            await step.ConsumeCeremonyAsync(tenantId, ceremonyId, kind, ct).ConfigureAwait(false);
        }
        await step.AppendAuditEventAsync(audit.Event(tenantId, name, "failed", ceremonyId, operatorId, null, code, error, client, Stopwatch.GetElapsedTime(started)), ct)
            .ConfigureAwait(false);
        await step.CommitAsync(ct).ConfigureAwait(false);
    }

    private static string ResponseJson(JsonElement response) => response.ValueKind == JsonValueKind.Object
        ? response.GetRawText()
        : throw new PasskeyException(PasskeyError.MalformedResponse, $"response must be a JSON object, not {response.ValueKind}");

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
