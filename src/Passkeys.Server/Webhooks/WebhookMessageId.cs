using System.Globalization;

namespace Passkeys.Server.Webhooks;

/// <summary>
/// A delivery's public id, <c>msg_{number}</c>: the <c>webhook-id</c> header receivers deduplicate
/// by, and the id the deliveries API shows and takes.
/// </summary>
public static class WebhookMessageId
{
    private const string Prefix = "msg_";

    /// <summary>The id of delivery row <paramref name="deliveryId"/>.</summary>
    public static string Of(long deliveryId) => Prefix + deliveryId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The row number of <paramref name="text"/>, or null when it is not a delivery id.</summary>
    public static long? Parse(string? text) =>
        text is not null && text.StartsWith(Prefix, StringComparison.Ordinal) && text.Length <= Prefix.Length + 19
        && text.AsSpan(Prefix.Length).IndexOfAnyExceptInRange('0', '9') < 0
        && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : null;
}
