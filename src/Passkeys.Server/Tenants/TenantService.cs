using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;
using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Tenants;

/// <summary>Tenant administration and the default tenant from configuration.</summary>
public sealed class TenantService(IPasskeyStore store, AuditLog audit, TimeProvider time, IOptions<PasskeysServerOptions> options)
{
    /// <summary>
    /// Creates or updates the default tenant from configuration (configuration wins at every start),
    /// audited with actor <c>system</c>; a start that changes no setting writes nothing.
    /// </summary>
    public async Task EnsureDefaultAsync(CancellationToken ct)
    {
        var d = options.Value.DefaultTenant;
        if (!d.Enabled)
        {
            return;
        }
        // Checked at start (PasskeysServerOptionsValidator), so a problem here would be a file changed since.
        var (attestationPolicy, problem) = d.AttestationPolicy?.Parse(d.Attestation, options.Value.Metadata.Enabled, time.GetUtcNow()) ?? (null, null);
        if (problem is not null)
        {
            throw new InvalidOperationException("Passkeys:DefaultTenant: " + problem);
        }
        // Configuration has no native apps and no rollout: the ones set through the admin API survive a restart.
        var current = await store.GetTenantAsync(d.Id, ct).ConfigureAwait(false);
        var record = new TenantRecord(d.Id, d.RpId, d.RpName, d.EffectiveOrigins, d.RelatedOrigins ?? [], d.UserVerification, d.Attestation, d.SelfSignUp, time.GetUtcNow(),
            TenantAlgorithms.Parse(d.Algorithms).Algorithms, d.CloneDetection, attestationPolicy, current?.NativeApps, current?.Rollout);
        if (!await CreateAuditedAsync(record, AuditActor.System, null, ct).ConfigureAwait(false)
            && await store.GetTenantAsync(record.Id, ct).ConfigureAwait(false) is { } existing)
        {
            await UpdateAuditedAsync(existing, record with { CreatedAt = existing.CreatedAt }, AuditActor.System, null, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Validates admin input into a record.</summary>
    public TenantRecord FromInput(string id, TenantInput input, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(input);
        var algorithms = TenantAlgorithms.FromJson(input.Algorithms);
        var problems = TenantRules.Problems(id, input.RpId, input.RpName, input.Origins, input.RelatedOrigins, input.UserVerification, input.Attestation, algorithms);
        var (nativeApps, appProblems) = NativeApps.NativeAppRules.Check(input.NativeApps);
        problems = [.. problems, .. appProblems];
        if (problems.Count > 0)
        {
            // One code per answer: the first problem's (malformed values come first), every message.
            throw new ServerException(problems[0].Code, string.Join(" ", problems.Select(p => p.Message)));
        }
        if (input.CloneDetection is null || !CloneDetectionPolicy.All.Contains(input.CloneDetection))
        {
            throw new ServerException(ServerError.ValidationFailed,
                $"cloneDetection '{input.CloneDetection}' must be one of {string.Join(", ", CloneDetectionPolicy.All)}.");
        }
        var attestationPolicy = AttestationPolicyRules.Parse(input.AttestationPolicy, input.Attestation, options.Value.Metadata.Enabled, time.GetUtcNow());
        return new TenantRecord(id, input.RpId, input.RpName, [.. input.Origins], [.. input.RelatedOrigins ?? []], input.UserVerification, input.Attestation, input.SelfSignUp, createdAt,
            TenantAlgorithms.Parse(algorithms).Algorithms, input.CloneDetection, attestationPolicy, nativeApps,
            Analytics.RolloutRules.Check(input.Rollout));
    }

    /// <summary>Creates a tenant, audited (<c>tenant.created</c>); 409 when the id exists.</summary>
    public async Task<TenantView> CreateAsync(TenantInput input, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var record = FromInput(input.Id ?? "", input, time.GetUtcNow());
        if (!await CreateAuditedAsync(record, actor, client, ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.Conflict, $"A tenant with id '{record.Id}' already exists.");
        }
        return Ceremonies.Views.Of(record);
    }

    /// <summary>Replaces a tenant's settings, audited (<c>tenant.updated</c>, <c>details.settings</c>: the changed ones) when any changed.</summary>
    public async Task<TenantView> UpdateAsync(string id, TenantInput input, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        // The URL names the tenant; a different id in the body would otherwise be dropped without a word.
        if (input.Id is not null && input.Id != id)
        {
            throw new ServerException(ServerError.ValidationFailed,
                "The body's id differs from the tenant id in the URL. A tenant's id cannot be changed: leave id out or send the same one.");
        }
        // An id the rules refuse (the console's own tenant) is no tenant of the admin API.
        var existing = (TenantRules.IsValidId(id) ? await store.GetTenantAsync(id, ct).ConfigureAwait(false) : null)
            ?? throw new ServerException(ServerError.TenantNotFound);
        var record = FromInput(id, input, existing.CreatedAt);
        if (!await UpdateAuditedAsync(existing, record, actor, client, ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.TenantNotFound); // deleted since it was read
        }
        return Ceremonies.Views.Of(record);
    }

    /// <summary>
    /// Deletes a tenant with everything of it but its audit events, audited (<c>tenant.deleted</c>);
    /// 404 when absent. The events, this one included, stay queryable by the tenant's id until the
    /// retention purge (docs/api.md, Audit event types).
    /// </summary>
    public async Task DeleteAsync(string id, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        if (!TenantRules.IsValidId(id)
            || !await store.ChangeAsync(step => step.DeleteTenantAsync(id, ct), audit.Change(id, AuditTypes.TenantDeleted, actor, AuditTarget.Tenant(id), client: client), ct)
                .ConfigureAwait(false))
        {
            throw new ServerException(ServerError.TenantNotFound);
        }
    }

    private Task<bool> CreateAuditedAsync(TenantRecord record, AuditActor actor, ClientInfo? client, CancellationToken ct) =>
        store.ChangeAsync(step => step.CreateTenantAsync(record, ct), audit.Change(record.Id, AuditTypes.TenantCreated, actor, AuditTarget.Tenant(record.Id), client: client), ct);

    /// <summary>Writes <paramref name="after"/> with its event when a setting changed; true when the tenant exists (changed or not).</summary>
    private async Task<bool> UpdateAuditedAsync(TenantRecord before, TenantRecord after, AuditActor actor, ClientInfo? client, CancellationToken ct)
    {
        var settings = TenantSettingChanges.Between(before, after);
        if (settings.Length == 0)
        {
            return await store.GetTenantAsync(after.Id, ct).ConfigureAwait(false) is not null; // nothing changes: nothing to write or audit
        }
        return await store.ChangeAsync(step => step.UpdateTenantAsync(after, ct), audit.Change(after.Id, AuditTypes.TenantUpdated, actor, AuditTarget.Tenant(after.Id),
            client: client, details: new Dictionary<string, string?> { ["settings"] = settings }), ct).ConfigureAwait(false);
    }
}
