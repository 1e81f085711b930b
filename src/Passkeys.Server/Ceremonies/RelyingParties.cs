using System.Collections.Concurrent;
using Passkeys.Ceremonies;
using Passkeys.Protocol;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Ceremonies;

/// <summary>
/// One library <see cref="RelyingParty"/> per tenant, rebuilt when the tenant's settings change.
/// This is the one place the server turns tenant settings into library policy.
/// </summary>
public sealed class RelyingParties(TimeProvider time, Microsoft.Extensions.Options.IOptions<Configuration.PasskeysServerOptions> options,
    Metadata.AuthenticatorDirectory authenticators)
{
    private readonly ConcurrentDictionary<string, (string Fingerprint, RelyingParty Party, TenantAttestationPolicy Attestation)> _parties = new(StringComparer.Ordinal);
    // The policy's JSON per settings object: the tenant cache hands out the same record until the
    // tenant changes, so sign-ins do not serialize the policy (and its roots) each time.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Tenants.AttestationPolicySettings, string> PolicyJson = [];

    /// <summary>The relying party for <paramref name="tenant"/>'s current settings.</summary>
    public RelyingParty For(TenantRecord tenant) => Get(tenant).Party;

    /// <summary>
    /// The relying party for <paramref name="tenant"/> and the attestation policy it runs, from one
    /// cache entry (registration finish records whether the attestation was trusted by that policy).
    /// </summary>
    public (RelyingParty Party, TenantAttestationPolicy Attestation) WithAttestationPolicy(TenantRecord tenant)
    {
        var entry = Get(tenant);
        return (entry.Party, entry.Attestation);
    }

    private (string Fingerprint, RelyingParty Party, TenantAttestationPolicy Attestation) Get(TenantRecord tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var attestationPolicy = tenant.AttestationPolicy ?? Tenants.AttestationPolicySettings.Default;
        // Every accepted origin (web, related, the native apps') takes part, so a change to any rebuilds the party.
        var origins = Tenants.NativeApps.NativeAppRules.AcceptedOrigins(tenant);
        var fingerprint = string.Join('\n', tenant.RpId, tenant.RpName, string.Join(' ', origins),
            tenant.UserVerification, tenant.Attestation, Tenants.TenantAlgorithms.Fingerprint(tenant.Algorithms), tenant.CloneDetection,
            PolicyJson.GetValue(attestationPolicy, static p => p.ToJson()));
        if (_parties.TryGetValue(tenant.Id, out var cached) && cached.Fingerprint == fingerprint)
        {
            return cached;
        }
        var attestation = new TenantAttestationPolicy(attestationPolicy, authenticators, time);
        var settings = new RelyingPartyOptions
        {
            RpId = tenant.RpId,
            RpName = tenant.RpName,
            Origins = [.. origins],
            UserVerification = ParseUserVerification(tenant.UserVerification),
            Attestation = tenant.Attestation switch
            {
                "indirect" => AttestationConveyancePreference.Indirect,
                "direct" => AttestationConveyancePreference.Direct,
                "enterprise" => AttestationConveyancePreference.Enterprise,
                _ => AttestationConveyancePreference.None,
            },
            Timeout = options.Value.Ceremonies.Timeout,
            // "flag" lets a counter that did not grow through, reported, for the server to mark;
            // "suspend" and "ignore" refuse it (the server suspends on "suspend", in the failure path).
            SignCountRegression = tenant.CloneDetection == CloneDetectionPolicy.Flag
                ? SignCountRegressionPolicy.AllowAndReport
                : SignCountRegressionPolicy.Reject,
        };
        // After REG-24: the tenant's attestation mode, AAGUID lists and revoked models (1114–1119).
        settings.AuthenticatorPolicies = [attestation];
        if (tenant.Algorithms is { } algorithms)
        {
            // Offered in pubKeyCredParams and, through the ceremony state, the only ones finish accepts (REG-20).
            settings.Algorithms = [.. algorithms];
        }
        var entry = (fingerprint, new RelyingParty(settings, time), attestation);
        _parties[tenant.Id] = entry;
        return entry;
    }

    /// <summary>Maps the stored string to the library enum.</summary>
    public static UserVerificationRequirement ParseUserVerification(string value) => value switch
    {
        "required" => UserVerificationRequirement.Required,
        "discouraged" => UserVerificationRequirement.Discouraged,
        _ => UserVerificationRequirement.Preferred,
    };
}
