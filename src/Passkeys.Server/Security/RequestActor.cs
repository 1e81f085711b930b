using Passkeys.Server.Observability;

namespace Passkeys.Server.Security;

/// <summary>
/// Who is acting in the current request, for its audit events: the one place that turns what a
/// request proved into an <see cref="AuditActor"/>. The checks that authenticate a caller record
/// it here (<see cref="Authenticated"/>): a user's access token (or refresh token) → <c>user</c>,
/// an app's API key → <c>apiKey</c> with the key's id (never the key), the admin key →
/// <c>admin</c>. <see cref="Of"/> answers <c>anonymous</c> when nothing was proved.
/// </summary>
/// <remarks>
/// Console operators call the admin API with a session cookie instead of the admin key. Whatever
/// authenticates that cookie puts the operator's id in <see cref="OperatorItem"/>, and this
/// resolver, which reads it first, makes the actor <c>operator</c> with that id: no other code
/// needs to know about operators to audit them.
/// </remarks>
public static class RequestActor
{
    /// <summary>The <see cref="HttpContext.Items"/> key under which an operator's session puts the operator id (a string).</summary>
    public const string OperatorItem = "Passkeys.OperatorId";

    private const string ActorItem = "Passkeys.AuditActor";

    /// <summary>Records that the request proved to be <paramref name="actor"/> (called by the check that proved it).</summary>
    public static void Authenticated(HttpContext http, AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(actor);
        http.Items[ActorItem] = actor;
    }

    /// <summary>The actor of the request: an operator, else what <see cref="Authenticated"/> recorded, else anonymous.</summary>
    public static AuditActor Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Items.TryGetValue(OperatorItem, out var op) && op is string operatorId && operatorId.Length > 0)
        {
            return AuditActor.Operator(operatorId);
        }
        return http.Items.TryGetValue(ActorItem, out var actor) && actor is AuditActor known ? known : AuditActor.Anonymous;
    }
}
