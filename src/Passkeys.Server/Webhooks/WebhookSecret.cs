using System.Security.Cryptography;

namespace Passkeys.Server.Webhooks;

/// <summary>
/// An endpoint's signing secret and the Standard Webhooks signature made with it
/// (https://www.standardwebhooks.com): the secret is shown as <c>whsec_</c> + base64 of 32 random
/// bytes; a signature is <c>v1,</c> + base64 HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{body}</c>.
/// </summary>
public static class WebhookSecret
{
    /// <summary>The prefix of a secret's text form.</summary>
    public const string Prefix = "whsec_";

    /// <summary>The number of random bytes in a secret (the HMAC key).</summary>
    public const int Length = 32;

    /// <summary>A new random secret (the HMAC key bytes).</summary>
    public static byte[] New() => RandomNumberGenerator.GetBytes(Length);

    /// <summary>The text the admin is shown, once.</summary>
    public static string Format(byte[] key) => Prefix + Convert.ToBase64String(key);

    /// <summary>
    /// The <c>webhook-signature</c> header: one <c>v1,…</c> signature per key, space-separated, so a
    /// receiver holding either the new or the old secret during a rotation accepts it.
    /// </summary>
    public static string SignatureHeader(IEnumerable<byte[]> keys, string messageId, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var content = System.Text.Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}");
        return string.Join(' ', keys.Select(k => "v1," + Convert.ToBase64String(HMACSHA256.HashData(k, content))));
    }
}
