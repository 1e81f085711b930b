using System.Text.Json.Serialization;

namespace Passkeys.Server.Oidc;

#pragma warning disable CA1056 // URLs are strings in JSON and in the table

/// <summary>
/// A tenant's W3C Passkey Endpoints (https://w3c.github.io/webappsec-passkey-endpoints/): the
/// app's pages where a user creates a passkey (<c>enroll</c>) and manages them (<c>manage</c>), and
/// a page on how the app uses the PRF extension. Each is optional; none publishes <c>{}</c>,
/// which still says "this site supports passkeys".
/// </summary>
public sealed record PasskeyEndpointsRecord(string TenantId, string? Enroll, string? Manage, string? PrfUsageDetails, DateTimeOffset UpdatedAt);

/// <summary>The document served at <c>/.well-known/passkey-endpoints</c>, and the admin API body (members omitted when null).</summary>
public sealed record PasskeyEndpointsDocument(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Enroll = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Manage = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PrfUsageDetails = null);

/// <summary>Where passkey endpoints are kept; implemented by both SQL stores (SqlPasskeyStore.PasskeyEndpoints.cs).</summary>
public interface IPasskeyEndpointsStore
{
    /// <summary>The tenant's endpoints, or null when none were set.</summary>
    Task<PasskeyEndpointsRecord?> GetPasskeyEndpointsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the tenant's endpoints and writes <paramref name="auditEvent"/> in the same commit;
    /// false (nothing written) when the tenant does not exist.
    /// </summary>
    Task<bool> SetPasskeyEndpointsAsync(PasskeyEndpointsRecord endpoints, Storage.AuditEventRecord auditEvent, CancellationToken cancellationToken = default);
}
