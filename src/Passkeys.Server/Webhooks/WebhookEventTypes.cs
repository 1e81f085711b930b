using Passkeys.Server.Errors;
using Passkeys.Server.Observability;

namespace Passkeys.Server.Webhooks;

/// <summary>
/// What an endpoint may subscribe to: an exact type from <see cref="AuditTypes.All"/>, a family of
/// them (<c>credential.*</c>: every type before whose dot is <c>credential</c>), or <c>*</c> (all).
/// The store matches them with one indexed lookup per event (<c>type</c>, <c>family.*</c>, <c>*</c>).
/// </summary>
public static class WebhookEventTypes
{
    /// <summary>The most entries one endpoint may list.</summary>
    public const int MaxEntries = 64;

    private static readonly HashSet<string> Families = [.. AuditTypes.All.Select(t => t.Split('.')[0])];

    /// <summary>The list, checked.</summary>
    /// <exception cref="ServerException">WebhookEventTypesInvalid, naming the entry at fault.</exception>
    public static IReadOnlyList<string> Check(IReadOnlyList<string>? types)
    {
        if (types is null || types.Count == 0 || types.Count > MaxEntries)
        {
            throw new ServerException(ServerError.WebhookEventTypesInvalid, $"eventTypes must list from 1 to {MaxEntries} event types.");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            var known = type == "*"
                || (type is not null && type.EndsWith(".*", StringComparison.Ordinal) && Families.Contains(type[..^2]))
                || (type is not null && AuditTypes.All.Contains(type, StringComparer.Ordinal));
            if (!known)
            {
                throw new ServerException(ServerError.WebhookEventTypesInvalid,
                    $"eventTypes has \"{SafeText.Escape(type ?? "null", 64)}\", which is neither an audit event type (docs/api.md, \"Audit event types\"), a family such as \"credential.*\", nor \"*\".");
            }
            if (!seen.Add(type!))
            {
                throw new ServerException(ServerError.WebhookEventTypesInvalid, $"eventTypes lists \"{type}\" more than once.");
            }
        }
        return [.. types];
    }
}
