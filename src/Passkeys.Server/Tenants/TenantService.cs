using Microsoft.Extensions.Options;
using Passkeys.Server.Configuration;
using Passkeys.Server.Endpoints;
using Passkeys.Server.Errors;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Tenants;

/// <summary>Tenant administration and the default tenant from configuration.</summary>
public sealed class TenantService(IPasskeyStore store, TimeProvider time, IOptions<PasskeysServerOptions> options)
{
    /// <summary>Creates or updates the default tenant from configuration (configuration wins at every start).</summary>
    public async Task EnsureDefaultAsync(CancellationToken ct)
    {
        var d = options.Value.DefaultTenant;
        if (!d.Enabled)
        {
            return;
        }
        // The rollout is not configuration: it is set through the admin API and kept across starts.
        var rollout = (await store.GetTenantAsync(d.Id, ct).ConfigureAwait(false))?.Rollout;
        var record = new TenantRecord(d.Id, d.RpId, d.RpName, d.EffectiveOrigins, d.RelatedOrigins ?? [], d.UserVerification, d.Attestation, d.SelfSignUp, time.GetUtcNow(),
            TenantAlgorithms.Parse(d.Algorithms).Algorithms, d.CloneDetection, rollout);
        if (!await store.CreateTenantAsync(record, ct).ConfigureAwait(false))
        {
            await store.UpdateTenantAsync(record, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Validates admin input into a record.</summary>
    public TenantRecord FromInput(string id, TenantInput input, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(input);
        var algorithms = TenantAlgorithms.FromJson(input.Algorithms);
        var problems = TenantRules.Problems(id, input.RpId, input.RpName, input.Origins, input.RelatedOrigins, input.UserVerification, input.Attestation, algorithms);
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
        return new TenantRecord(id, input.RpId, input.RpName, [.. input.Origins], [.. input.RelatedOrigins ?? []], input.UserVerification, input.Attestation, input.SelfSignUp, createdAt,
            TenantAlgorithms.Parse(algorithms).Algorithms, input.CloneDetection, Analytics.RolloutRules.Check(input.Rollout));
    }

    /// <summary>Creates a tenant; 409 when the id exists.</summary>
    public async Task<TenantView> CreateAsync(TenantInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var record = FromInput(input.Id ?? "", input, time.GetUtcNow());
        if (!await store.CreateTenantAsync(record, ct).ConfigureAwait(false))
        {
            throw new ServerException(ServerError.Conflict, $"A tenant with id '{record.Id}' already exists.");
        }
        return Ceremonies.Views.Of(record);
    }

    /// <summary>Replaces a tenant's settings.</summary>
    public async Task<TenantView> UpdateAsync(string id, TenantInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        // The URL names the tenant; a different id in the body would otherwise be dropped without a word.
        if (input.Id is not null && input.Id != id)
        {
            throw new ServerException(ServerError.ValidationFailed,
                "The body's id differs from the tenant id in the URL. A tenant's id cannot be changed: leave id out or send the same one.");
        }
        var existing = await store.GetTenantAsync(id, ct).ConfigureAwait(false) ?? throw new ServerException(ServerError.TenantNotFound);
        var record = FromInput(id, input, existing.CreatedAt);
        await store.UpdateTenantAsync(record, ct).ConfigureAwait(false);
        return Ceremonies.Views.Of(record);
    }
}
