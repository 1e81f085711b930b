using System.Diagnostics;

using Passkeys.Protocol;

using Passkeys.Server.Analytics;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Security;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Ceremonies;

/// <summary>
/// What a step learns as it goes that its failure path needs: the ceremony a finish names, and,
/// once read, the user, the credential, the authenticator and the credential to suspend on a
/// counter regression. The step's body fills it in; <see cref="CeremonyService.RunStepAsync{T}"/>
/// hands it to the failure path.
/// </summary>
internal sealed class StepTrace(long started, (string? Id, CeremonyKind Kind)? finished)
{
    /// <summary>When the step began (<see cref="Stopwatch.GetTimestamp"/>): the audit events carry its duration.</summary>
    public long Started { get; } = started;

    /// <summary>The ceremony a finish names (consumed by the failure path too: a response is tried once); null for a begin.</summary>
    public (string? Id, CeremonyKind Kind)? Finished { get; } = finished;

    public string? UserId { get; set; }

    public string? CredentialId { get; set; }

    /// <summary>The authenticator the response came from (AAGUID, backup state), when the finish got that far: kept in the funnel row.</summary>
    public (Guid Aaguid, bool Synced)? Seen { get; set; }

    /// <summary>The credential an assertion named when its tenant suspends on a counter that did not grow.</summary>
    public byte[]? SuspendOnRegression { get; set; }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(Started);
}

// The frame every ceremony step runs in (begin → verify → one commit, see the class remarks), and its failure path.
public sealed partial class CeremonyService
{
    /// <summary>
    /// Runs one ceremony step: on its own step (one connection, one transaction), under a
    /// cancellation that the client going away does not trigger (a step that has changed state must
    /// finish it: <see cref="RunToCompletion"/>), and, when the body refuses with a
    /// <see cref="ServerException"/> or <see cref="PasskeyException"/>, through <see cref="FailAsync"/>
    /// (rolled back, then the consumed ceremony and the failure event in one commit).
    /// </summary>
    /// <param name="ceremony">The audit name of the ceremony (<see cref="Observability.Ceremonies"/>).</param>
    /// <param name="finished">For a finish, the ceremony it names; null for a begin.</param>
    private async Task<T> RunStepAsync<T>(CallContext call, string ceremony, (string? Id, CeremonyKind Kind)? finished,
        Func<IStoreStep, StepTrace, CancellationToken, Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(call);
        var trace = new StepTrace(Stopwatch.GetTimestamp(), finished);
        using var completion = RunToCompletion.Start();
        var ct = completion.Token;
        await using var step = await store.BeginStepAsync(ct).ConfigureAwait(false);
        try
        {
            return await body(step, trace, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ServerException or PasskeyException)
        {
            if (await FailAsync(step, call, ceremony, trace, e, ct).ConfigureAwait(false) is { } lost)
            {
                throw lost;
            }
            throw;
        }
    }

    /// <summary>
    /// The failure path of a step: whatever the step wrote is rolled back, then, in one commit, the
    /// finished ceremony (<see cref="StepTrace.Finished"/>, when the request named one) is consumed (a
    /// response is tried once; an expired one is gone) and the failure event written.
    /// </summary>
    /// <returns>
    /// Null to rethrow <paramref name="e"/>; or CeremonyNotFound when the ceremony had already been
    /// consumed by a racing finish: this one lost the race, and what its verification said
    /// (typically a signature counter that the winner had just advanced) is only a consequence of
    /// that, not a finding about the authenticator.
    /// </returns>
    /// <remarks>
    /// On a counter regression, the credential in <see cref="StepTrace.SuspendOnRegression"/> (set when
    /// the tenant suspends on that) is suspended in this same commit (unless this finish lost a race,
    /// see above), and the caller is answered CredentialSuspended.
    /// </remarks>
    private async Task<Exception?> FailAsync(IStoreStep step, CallContext call, string ceremony, StepTrace trace, Exception e, CancellationToken ct)
    {
        var (code, name) = e switch
        {
            PasskeyException p => ((int)p.Error, p.Error.ToString()),
            ServerException s => ((int)s.Error, s.Error.ToString()),
            _ => ((int)ServerError.Internal, nameof(ServerError.Internal)),
        };
        var finished = trace.Finished;
        var (userId, credentialId, seen) = (trace.UserId, trace.CredentialId, trace.Seen);
        var suspend = e is PasskeyException { Error: PasskeyError.SignCountRegression } ? trace.SuspendOnRegression : null;
        await step.RollbackAsync(ct).ConfigureAwait(false);
        Exception? lost = null;
        CeremonyRecord? consumed = null;
        if (finished is { Id: var id, Kind: var kind } && IsCeremonyId(id))
        {
            consumed = await step.ConsumeCeremonyAsync(call.Tenant.Id, id!, kind, ct).ConfigureAwait(false);
            if (consumed is null && e is not ServerException { Error: ServerError.CeremonyNotFound })
            {
                lost = new ServerException(ServerError.CeremonyNotFound);
                (code, name) = ((int)ServerError.CeremonyNotFound, nameof(ServerError.CeremonyNotFound));
            }
        }
        // The funnel row of the ceremony this finish consumed (never one it merely named: that may be
        // another kind's, or another finish's). An answer after the expiry counts as abandoned, as
        // if the purge had come first: the user did not answer in time (docs/analytics.md). It is
        // marked here because the purge marks only the ceremonies it deletes, and this one is gone.
        if (consumed is not null && e is PasskeyException { Error: PasskeyError.CeremonyExpired })
        {
            await step.RecordCeremonyAbandonedAsync(call.Tenant.Id, consumed.Id, ct).ConfigureAwait(false);
        }
        else if (consumed is not null)
        {
            await step.RecordCeremonyFinishedAsync(call.Tenant.Id, consumed.Id, new CeremonyFinish(ServerOutcomes.Failed, code, name, time.GetUtcNow(), userId,
                seen?.Aaguid, seen is { } s ? authenticators.NameOf(s.Aaguid) : null, seen?.Synced), ct).ConfigureAwait(false);
        }
        await step.AppendAuditEventAsync(audit.Event(call.Tenant.Id, ceremony, "failed", finished?.Id, userId, credentialId, code, name, call.Client,
            trace.Elapsed), ct).ConfigureAwait(false);
        if (suspend is not null && lost is null)
        {
            // Already suspended by a racing copy: that suspension's reason and time stand, no second event.
            if (await step.SuspendCredentialAsync(call.Tenant.Id, suspend, SuspendedReason.CloneSuspected, time.GetUtcNow(), ct).ConfigureAwait(false))
            {
                // The server suspends it (actor system), on the evidence of this failed sign-in (its event, just above, carries the error code).
                var suspendedId = credentialId ?? Secrets.Base64Url(suspend);
                await step.AppendAuditEventAsync(audit.Change(call.Tenant.Id, AuditTypes.CredentialSuspended, AuditActor.System, AuditTarget.Credential(suspendedId), userId, suspendedId,
                    call.Client, new Dictionary<string, string?> { ["reason"] = SuspendedReason.CloneSuspected }), ct).ConfigureAwait(false);
            }
            lost = SuspendedError(SuspendedReason.CloneSuspected);
        }
        await step.CommitAsync(ct).ConfigureAwait(false);
        return lost;
    }
}
