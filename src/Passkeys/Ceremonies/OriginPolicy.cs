
namespace Passkeys.Ceremonies;

/// <summary>
/// The configured origins in the exact serialized form browsers put in clientDataJSON (scheme and
/// host lowercase, default port omitted, no path), as UTF-8, so REG-09/AUTH-12 are byte
/// comparisons. Scheme, host and port all take part: reducing an origin to its host is the bug in
/// webauthn-framework GHSA-f7pm-6hr8-7ggm.
/// </summary>
internal sealed class OriginPolicy
{
    private readonly byte[][] _origins;
    private readonly byte[][] _topOrigins;

    public OriginPolicy(IEnumerable<string> origins, IEnumerable<string> topOrigins)
    {
        _origins = [.. origins.Select(o => System.Text.Encoding.UTF8.GetBytes(Normalize(o, "Origins")))];
        _topOrigins = [.. topOrigins.Select(o => System.Text.Encoding.UTF8.GetBytes(Normalize(o, "AllowedTopOrigins")))];
        if (_origins.Length == 0)
        {
            throw new PasskeyException(PasskeyError.InvalidConfiguration, "RelyingPartyOptions.Origins is empty; list every origin the site is served from");
        }
    }

    public bool IsAllowedOrigin(ReadOnlySpan<byte> origin) => Contains(_origins, origin);

    public bool IsAllowedTopOrigin(ReadOnlySpan<byte> topOrigin) => Contains(_topOrigins, topOrigin);

    private static bool Contains(byte[][] list, ReadOnlySpan<byte> value)
    {
        foreach (var candidate in list)
        {
            if (value.SequenceEqual(candidate))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Normalizes a configured origin, or throws <see cref="PasskeyError.InvalidConfiguration"/>.</summary>
    internal static string Normalize(string origin, string setting)
    {
        if (string.IsNullOrWhiteSpace(origin))
        {
            throw new PasskeyException(PasskeyError.InvalidConfiguration, $"{setting} contains an empty origin");
        }
        // Native app origins (android:apk-key-hash:…, ios:bundle-id:…) are compared verbatim.
        if (!origin.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !origin.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!origin.Contains(':', StringComparison.Ordinal))
            {
                throw new PasskeyException(PasskeyError.InvalidConfiguration, $"{setting} entry '{origin}' is neither a web origin (https://host[:port]) nor an app origin (scheme:…)");
            }
            return origin;
        }
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.PathAndQuery != "/" || uri.Fragment.Length != 0 || origin.TrimEnd('/').Length != origin.Length - (origin.EndsWith('/') ? 1 : 0) || uri.UserInfo.Length != 0)
        {
            throw new PasskeyException(PasskeyError.InvalidConfiguration, $"{setting} entry '{origin}' must be scheme://host[:port] with no path, query or fragment");
        }
        string host = uri.IdnHost.ToLowerInvariant();
        return uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}";
    }
}
