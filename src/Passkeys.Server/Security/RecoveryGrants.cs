using System.Security.Cryptography;

namespace Passkeys.Server.Security;

/// <summary>
/// A recovery grant (the bearer secret a redeemed recovery code returns) is kept in the store only
/// as the SHA-256 of the grant: someone who reads the ceremonies table cannot use a grant, and the
/// id cannot be sent as a grant. The grant has 256 random bits, so no salt or key is needed.
/// </summary>
public static class RecoveryGrants
{
    /// <summary>The id under which the ceremony of <paramref name="grant"/> is stored.</summary>
    public static string CeremonyId(string grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return "grant:" + Secrets.Base64Url(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(grant)));
    }
}
