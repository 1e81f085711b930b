using System.Text.Json;
using System.Text.Json.Serialization;
using Passkeys.Server.Endpoints;
using Passkeys.Server.Storage;

namespace Passkeys.Server.Webhooks;

/// <summary>
/// The body of a webhook delivery, frozen when the event is written: <c>{ "type", "timestamp",
/// "data" }</c>, Standard Webhooks style, where <c>data</c> is the event exactly as the admin audit
/// query shows it (<see cref="AuditEventView"/>).
/// </summary>
public sealed record WebhookPayload(string Type, DateTimeOffset Timestamp, AuditEventView Data)
{
    // The API's JSON conventions: camelCase names, nulls written.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>The payload of a written audit event (its id assigned), as JSON text.</summary>
    public static string Serialize(AuditEventRecord auditEvent)
    {
        var view = AuditEventView.Of(auditEvent);
        return JsonSerializer.Serialize(new WebhookPayload(view.Type, view.At, view), Json);
    }
}
