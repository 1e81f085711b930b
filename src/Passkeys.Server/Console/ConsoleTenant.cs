using System.Net;
using Passkeys.Server.Errors;
using Passkeys.Server.Observability;
using Passkeys.Server.Storage;
using Passkeys.Server.Tokens;

namespace Passkeys.Server.OperatorConsole;

/// <summary>
/// The console's own relying party: a reserved internal tenant, <see cref="Id"/>, whose users are the
/// operators and whose passkeys are theirs. It reuses the tenant machinery (the library
/// <c>RelyingParty</c> per tenant, the ceremonies, credentials and sessions tables, their purge) and
/// is kept out of every tenant API: its id is not a valid tenant id (<c>TenantRules.IsValidId</c>
/// refuses the underscore), so no tenant route resolves it and no one can create, read, change or
/// delete it there; the tenant lists leave it out (<see cref="IsInternal"/>).
/// </summary>
/// <remarks>
/// Its rpId and origin come from <c>Passkeys:PublicBaseUrl</c> (else the listen address), the address
/// operators open the console at. They are written on first use and whenever that address changes,
/// so a moved deployment keeps working (passkeys registered under an old rpId stop matching, as
/// WebAuthn requires). User verification is required: an operator session administers everything.
/// </remarks>
public sealed class ConsoleTenant(IPasskeyStore store, PublicBaseUrl baseUrl, AuditLog audit, TimeProvider time)
{
    /// <summary>The reserved tenant id. The leading underscore makes it an invalid public tenant id.</summary>
    public const string Id = "_console";

    private TenantRecord? _current;

    /// <summary>True for the console's own tenant (and any other id the public tenant rules refuse), which tenant lists never show.</summary>
    public static bool IsInternal(TenantRecord tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return !Tenants.TenantRules.IsValidId(tenant.Id);
    }

    /// <summary>The console origin, e.g. <c>https://passkeys.example.com</c>.</summary>
    public string Origin => new Uri(baseUrl.Value).GetLeftPart(UriPartial.Authority);

    /// <summary>Whether the console is served over https (then its cookie is Secure and <c>__Host-</c>).</summary>
    public bool IsHttps => Origin.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The tenant record, created or brought up to date with the console origin.</summary>
    /// <exception cref="ServerException">ConsoleOriginUnusable when the origin's host is an IP address.</exception>
    public async Task<TenantRecord> GetAsync(CancellationToken ct)
    {
        var origin = Origin;
        var host = new Uri(origin).Host;
        if (IPAddress.TryParse(host.Trim('[', ']'), out _))
        {
            throw new ServerException(ServerError.ConsoleOriginUnusable,
                $"The console is reached at {origin}, but passkeys need a host name, not an IP address. Set Passkeys:PublicBaseUrl (e.g. http://localhost:5080 or https://passkeys.example.com).");
        }
        if (_current is { } cached && cached.RpId == host && cached.Origins.Count == 1 && cached.Origins[0] == origin)
        {
            return cached;
        }
        var stored = await store.GetTenantAsync(Id, ct).ConfigureAwait(false);
        var wanted = new TenantRecord(Id, host, "Passkeys console", [origin], [], "required", "none", false, stored?.CreatedAt ?? time.GetUtcNow());
        if (stored is null)
        {
            // The server makes and aligns its own tenant (actor system), audited like any tenant change.
            if (!await store.ChangeAsync(step => step.CreateTenantAsync(wanted, ct),
                    audit.Change(Id, AuditTypes.TenantCreated, AuditActor.System, AuditTarget.Tenant(Id)), ct).ConfigureAwait(false))
            {
                // Another node created it first: take its record, then align it below.
                stored = await store.GetTenantAsync(Id, ct).ConfigureAwait(false);
            }
        }
        if (stored is not null && (stored.RpId != host || stored.Origins.Count != 1 || stored.Origins[0] != origin || stored.UserVerification != "required"))
        {
            await store.ChangeAsync(step => step.UpdateTenantAsync(wanted with { CreatedAt = stored.CreatedAt }, ct),
                audit.Change(Id, AuditTypes.TenantUpdated, AuditActor.System, AuditTarget.Tenant(Id),
                    details: new Dictionary<string, string?> { ["origin"] = origin }), ct).ConfigureAwait(false);
        }
        _current = wanted with { CreatedAt = stored?.CreatedAt ?? wanted.CreatedAt };
        return _current;
    }
}
