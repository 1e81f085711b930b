using Passkeys.Server.Observability;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Ceremonies;

/// <summary>The resolved tenant, the token issuer for this request and who is calling.</summary>
public sealed record CallContext(TenantRecord Tenant, string Issuer, ClientInfo Client);
